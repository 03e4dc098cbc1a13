using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;

namespace Forecaster.Core.Tests.Series;

public class SeriesFeaturesTests
{
    private static readonly ForecastSettings Settings = new() { Season = 6, WarmupPoints = 6, HistoryCapacity = 32, HiddenSize = 4, Horizons = 3 };

    private static double Periodic(long t) => 100 + (20 * Math.Sin(2 * Math.PI * t / 6.0));

    [Fact]
    public void Collects_one_season_before_it_yields_features()
    {
        var state = new BatchForecaster(Settings, 1).CreateSeries();
        var features = new float[SeriesFeatures.Count];
        for (var t = 0; t < Settings.Season; t++)
        {
            Assert.False(SeriesFeatures.Observe(state, Settings, t, Periodic(t), features));
        }

        Assert.True(state.Initialized);
        Assert.True(SeriesFeatures.Observe(state, Settings, 6, Periodic(6), features));
        Assert.Equal(0f, features[7]);
    }

    [Fact]
    public void A_purely_seasonal_series_is_forecast_exactly_by_the_smoothing_state()
    {
        var state = new BatchForecaster(Settings, 1).CreateSeries();
        var features = new float[SeriesFeatures.Count];
        for (var t = 0; t < 30; t++)
        {
            SeriesFeatures.Observe(state, Settings, t, Periodic(t), features);
        }

        Assert.Equal(0f, features[0], 4);
        for (var k = 1; k <= 3; k++)
        {
            var forecast = ValueTransform.Inverse(SeriesFeatures.BaseForecast(state, Settings, k), state.Scale);
            Assert.Equal(Periodic(29 + k), forecast, 3);
        }
    }

    [Fact]
    public void A_gap_is_flagged_and_leaves_the_level_alone()
    {
        var state = new BatchForecaster(Settings, 1).CreateSeries();
        var features = new float[SeriesFeatures.Count];
        for (var t = 0; t < 12; t++)
        {
            SeriesFeatures.Observe(state, Settings, t, Periodic(t), features);
        }

        var level = state.Level;
        Assert.True(SeriesFeatures.Observe(state, Settings, 12, double.NaN, features));
        Assert.Equal(1f, features[7]);
        Assert.Equal(0f, features[0]);
        Assert.Equal(level, state.Level);
        Assert.Equal(13, state.Steps);
    }

    [Fact]
    public void Calendar_phases_follow_the_clock()
    {
        var settings = Settings with { CalendarFeatures = true };
        var state = new BatchForecaster(settings, 1).CreateSeries();
        var features = new float[SeriesFeatures.Count];
        const long Monday6am = 1_764_482_400_000; // 2025-11-30T06:00Z is a Sunday; +1 day
        for (var t = 0; t < 7; t++)
        {
            SeriesFeatures.Observe(state, settings, Monday6am + 86_400_000 + (t * 3_600_000L), 1.0, features);
        }

        // The last point is 12:00 on a Monday: half a day → sin 0, cos −1; week phase (0 + 0.5) / 7.
        Assert.Equal(0f, features[3], 4);
        Assert.Equal(-1f, features[4], 4);
        Assert.Equal(MathF.Sin(2 * MathF.PI * 0.5f / 7f), features[5], 4);
    }

    [Fact]
    public void Refuses_a_short_feature_buffer()
    {
        var state = new BatchForecaster(Settings, 1).CreateSeries();
        Assert.Throws<ArgumentException>(() => SeriesFeatures.Observe(state, Settings, 0, 1.0, new float[3]));
    }
}
