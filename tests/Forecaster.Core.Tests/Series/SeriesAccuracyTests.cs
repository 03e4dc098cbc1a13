using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;

namespace Forecaster.Core.Tests.Series;

public class SeriesAccuracyTests
{
    [Fact]
    public void Scores_the_one_step_and_k_step_forecasts_when_their_actuals_arrive()
    {
        var accuracy = new SeriesAccuracy(horizons: 2);
        // Step 0 issues, per horizon (rows of Q = 3): model 10 [8, 12] then 20 [18, 22]; baseline 11 [9, 13] then 30 [29, 31].
        accuracy.Remember(0, [8, 10, 12, 18, 20, 22], modelValid: true, [9, 11, 13, 29, 30, 31], quantiles: 3, median: 1);

        accuracy.Score(1, actual: 12, seasonAgo: 10);
        Assert.Equal(1, accuracy.Samples);
        Assert.Equal(2, accuracy.NaiveScale);
        Assert.Equal(1.0, accuracy.ModelScaledError);
        Assert.Equal(0.5, accuracy.BaselineScaledError);
        Assert.Equal(2.0, accuracy.ModelAbsoluteError);
        Assert.Equal(1.0, accuracy.BaselineAbsoluteError);
        Assert.Equal(1.0, accuracy.ModelCoverage);

        accuracy.Score(2, actual: 24, seasonAgo: 22);
        Assert.Equal(2, accuracy.Samples);
        var expectedModel = 1.0 + (SeriesAccuracy.Smoothing * ((4.0 / 2) - 1.0));
        Assert.Equal(expectedModel, accuracy.ModelScaledError, 12);
        Assert.Equal(1.0 - SeriesAccuracy.Smoothing, accuracy.ModelCoverage, 12);
    }

    [Fact]
    public void A_model_that_loses_to_the_baseline_is_replaced_by_it_until_it_wins_again()
    {
        var settings = new ForecastSettings { Season = 8, WarmupPoints = 16, HistoryCapacity = 64, HiddenSize = 8, Horizons = 4 };
        var model = ModelFactory.CreateInitial(settings);
        var shape = model.Shape;
        for (var k = 0; k < shape.Horizons; k++)
        {
            for (var q = 0; q < shape.Quantiles; q++)
            {
                model.Parameters[shape.HeadBiasOffset + (k * shape.Quantiles) + q] += 40f; // 40 noise scales too high
            }
        }

        var forecaster = new BatchForecaster(model, settings, 1);
        var series = forecaster.CreateSeries();
        var random = new Random(4);
        SeriesStatus last = SeriesStatus.WarmingUp;
        for (var t = 0; t < 200; t++)
        {
            forecaster.Add(series, t, 100 + (30 * Math.Sin(2 * Math.PI * t / 8)) + random.NextDouble());
            forecaster.Step();
            last = forecaster.Status(0);
        }

        Assert.Equal(SeriesStatus.Fallback, last);
        Assert.True(series.InFallback);
        Assert.True(series.Accuracy.ModelScaledError > series.Accuracy.BaselineScaledError);
        Assert.InRange(forecaster.Quantiles(0)[settings.MedianIndex], 60, 140);

        forecaster.SwapModel(ModelFactory.CreateInitial(settings).Clone(1));
        for (var t = 200; t < 800 && forecaster.Status(0) == SeriesStatus.Fallback; t++)
        {
            forecaster.Add(series, t, 100 + (30 * Math.Sin(2 * Math.PI * t / 8)) + random.NextDouble());
            forecaster.Step();
        }

        Assert.Equal(SeriesStatus.Ok, forecaster.Status(0));
    }
}
