using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Core.Series;
using Forecaster.Core.Training;

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
        Assert.Equal((1.0, 0.5), (accuracy.ModelOneStepError, accuracy.BaselineOneStepError)); // the K-step score leaves the one-step errors alone
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

    [Fact]
    public void What_serves_is_decided_one_step_ahead_so_a_model_that_loses_only_k_steps_ahead_serves_as_without_that_loss()
    {
        var settings = new ForecastSettings { Season = 12, WarmupPoints = 12, HistoryCapacity = 64, HiddenSize = 8, Horizons = 6 };
        double Wave(int t) => 50 * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.1 * Math.Sin(2 * Math.PI * t / 37.0)));
        var training = Enumerable.Range(0, 4).Select(i => TrainingSeries.Build([.. Enumerable.Range(0, 200).Select(t => (float)(Wave(t + (7 * i)) * (1 + (0.2 * i))))], [], settings)).ToArray();
        var trained = ModelFitter.Fit(ModelFactory.CreateInitial(settings), training, new FitSettings(Window: 48, Batch: 8, Steps: 150, LearningRate: 5e-3f, BurnIn: 8)).Model;
        var farOff = trained.Clone(trained.Version);
        var shape = farOff.Shape;
        for (var q = 0; q < shape.Quantiles; q++)
        {
            farOff.Parameters[shape.HeadBiasOffset + ((shape.Horizons - 1) * shape.Quantiles) + q] += 40f; // only K steps ahead, 40 noise scales too high
        }

        (List<SeriesStatus> Statuses, SeriesAccuracy Accuracy) Serve(ForecastModel model)
        {
            var forecaster = new BatchForecaster(model, settings, 1);
            var series = forecaster.CreateSeries();
            var statuses = new List<SeriesStatus>();
            for (var t = 0; t < 300; t++)
            {
                forecaster.Add(series, t, Wave(t));
                forecaster.Step();
                statuses.Add(forecaster.Status(0));
            }

            return (statuses, series.Accuracy);
        }

        var (plain, _) = Serve(trained);
        var (biased, accuracy) = Serve(farOff);

        Assert.True(accuracy.ModelScaledError > 1.05 * accuracy.BaselineScaledError, $"pooled: model {accuracy.ModelScaledError}, baseline {accuracy.BaselineScaledError}"); // the pooled errors say the model loses
        Assert.Contains(SeriesStatus.Ok, plain); // the trained model serves, at least some of the time
        Assert.Equal(plain, biased); // and the K-step loss alone changes nothing of what serves
    }
}
