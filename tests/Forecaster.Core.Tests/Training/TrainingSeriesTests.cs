using Forecaster.Core.Forecasting;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

public class TrainingSeriesTests
{
    private static readonly ForecastSettings Settings = new() { Season = 6, WarmupPoints = 6, HistoryCapacity = 16, HiddenSize = 4, Horizons = 3 };

    private static float[] Periodic(int length) =>
        Enumerable.Range(0, length).Select(t => (float)(100 + (20 * Math.Sin(2 * Math.PI * t / 6.0)))).ToArray();

    [Fact]
    public void A_purely_seasonal_series_has_near_zero_targets_and_no_targets_past_its_end()
    {
        var data = TrainingSeries.Build(Periodic(40), [], Settings);
        Assert.Equal(40 - Settings.Season, data.Rows);
        for (var row = 0; row < data.Rows; row++)
        {
            for (var k = 0; k < Settings.Horizons; k++)
            {
                var present = row + Settings.Season + k + 1 < 40;
                Assert.Equal(present ? 1f : 0f, data.Mask[(row * Settings.Horizons) + k]);
                Assert.InRange(data.Targets[(row * Settings.Horizons) + k], -0.05f, 0.05f);
            }
        }
    }

    [Fact]
    public void Its_inputs_are_those_the_online_forecaster_computes()
    {
        var values = Periodic(30);
        values[17] = float.NaN;
        values[20] *= 1.5f;
        var data = TrainingSeries.Build(values, [], Settings);
        var forecaster = new BatchForecaster(Settings, 1);
        var state = forecaster.CreateSeries();
        var features = new float[8];
        for (var t = 0; t < values.Length; t++)
        {
            if (Forecaster.Core.Series.SeriesFeatures.Observe(state, Settings, t, values[t], features))
            {
                Assert.Equal(features, data.Inputs.AsSpan((t - Settings.Season) * 8, 8).ToArray());
            }
        }

        Assert.Equal(0f, data.Mask[((17 - Settings.Season - 1) * Settings.Horizons) + 0]);
    }

    [Fact]
    public void Refuses_timestamps_that_do_not_match_the_values() =>
        Assert.Throws<ArgumentException>(() => TrainingSeries.Build(Periodic(10), new long[3], Settings));
}
