using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;
using Forecaster.Testing;

namespace Forecaster.Core.Tests.Series;

public class SeriesSmoothingFitTests
{
    private static readonly ForecastSettings Settings = new() { Season = 12, WarmupPoints = 12, HistoryCapacity = 400, HiddenSize = 4, Horizons = 3, SmoothingFitPoints = 300 };

    /// <summary>
    /// A series drawn from the smoothing recursion itself (innovations form) with weights α, γ: the one-step
    /// surprise is smallest when the filter runs with the same weights.
    /// </summary>
    private static double[] Drawn(float alpha, float gamma, int length, int seed)
    {
        var random = new Random(seed);
        var season = new double[Settings.Season];
        for (var p = 0; p < season.Length; p++)
        {
            season[p] = Math.Sin(2 * Math.PI * p / season.Length);
        }

        var level = 3.0;
        var values = new double[length];
        for (var t = 0; t < length; t++)
        {
            var p = t % season.Length;
            var e = 0.1 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
            values[t] = level + season[p] + e;
            level += alpha * e;
            season[p] += gamma * (1 - alpha) * e;
        }

        return values;
    }

    [Theory]
    [InlineData(0.2f, 0.1f, 1, 1)]
    [InlineData(0.02f, 0.4f, 2, 1)]
    [InlineData(0.35f, 0f, 3, 1)]
    [InlineData(0.2f, 0.1f, 1, 0)]
    [InlineData(0.02f, 0.4f, 2, 0)]
    [InlineData(0.35f, 0f, 3, 0)]
    public void The_chosen_weights_are_near_the_ones_that_drew_the_series(float alpha, float gamma, int seed, int leads)
    {
        var (level, season) = SeriesSmoothingFit.Choose(Drawn(alpha, gamma, 3000, seed), 0, Settings with { SmoothingFitLeads = leads });

        // One-step surprises are least under the drawing weights; forecasts over several leads favour a little
        // less level weight (one grid step at most here).
        Assert.InRange(level, alpha * (leads == 1 ? 0.5f : 0.25f), alpha * 2f);
        Assert.InRange(season, Math.Max(0f, gamma - 0.15f), gamma + 0.15f);
    }

    [Theory]
    [InlineData(SmoothingWeights.Level)]
    [InlineData(SmoothingWeights.Season)]
    public void Fitting_one_weight_keeps_the_other_global(SmoothingWeights weights)
    {
        var settings = Settings with { SmoothingFitLeads = 1, SmoothingFitWeights = weights };

        var (level, season) = SeriesSmoothingFit.Choose(Drawn(0.2f, 0.8f, 3000, 7), 0, settings);

        if (weights == SmoothingWeights.Level)
        {
            Assert.Equal(settings.SeasonSmoothing, season);
            Assert.InRange(level, 0.1f, 0.35f); // near 0.2: the level takes up some of what the held season weight misses
        }
        else
        {
            Assert.Equal(settings.LevelSmoothing, level);
            Assert.InRange(season, 0.6f, 0.8f);
        }
    }

    [Fact]
    public void A_history_of_two_seasons_or_less_keeps_the_global_weights()
    {
        var (level, season) = SeriesSmoothingFit.Choose(Drawn(0.3f, 0.8f, 24, 4), 0, Settings);

        Assert.Equal((Settings.LevelSmoothing, Settings.SeasonSmoothing), (level, season));
    }

    [Fact]
    public void A_series_is_fitted_once_when_its_history_reaches_the_fit_points_and_only_with_the_setting_on()
    {
        var on = Settings with { PerSeriesSmoothing = true };
        var values = Drawn(0.2f, 0.1f, 500, 5);
        var fitted = new BatchForecaster(on, 1).CreateSeries();
        var plain = new BatchForecaster(Settings, 1).CreateSeries();
        var features = new float[SeriesFeatures.Count];
        for (var t = 0; t < values.Length; t++)
        {
            var y = Math.Exp(values[t]);
            SeriesFeatures.Observe(fitted, on, t, y, features);
            SeriesFeatures.Observe(plain, Settings, t, y, features);
            Assert.Equal(t + 1 >= on.SmoothingFitPoints, fitted.SmoothingFitted);
            Assert.False(plain.SmoothingFitted);
        }

        var (level, season) = SeriesSmoothingFit.Coefficients(fitted, on);
        Assert.NotEqual((on.LevelSmoothing, on.SeasonSmoothing), (level, season));
        Assert.Equal((Settings.LevelSmoothing, Settings.SeasonSmoothing), SeriesSmoothingFit.Coefficients(plain, Settings));
    }

    [Fact]
    public void Observing_through_the_fit_allocates_nothing()
    {
        var on = Settings with { PerSeriesSmoothing = true, WeeklySeason = 48 };
        var values = Drawn(0.2f, 0.1f, 400, 8);
        var features = new float[SeriesFeatures.Count];
        var fitted = 0;
        var allocated = Allocations.Fewest(() =>
        {
            var state = new BatchForecaster(on, 1).CreateSeries();
            for (var t = 0; t < 100; t++)
            {
                SeriesFeatures.Observe(state, on, t, Math.Exp(values[t]), features);
            }

            return () =>
            {
                for (var t = 100; t < values.Length; t++)
                {
                    SeriesFeatures.Observe(state, on, t, Math.Exp(values[t]), features);
                }

                fitted += state.SmoothingFitted ? 1 : 0;
            };
        });

        Assert.Equal(0, allocated);
        Assert.Equal(5, fitted);
    }

    [Fact]
    public void With_the_setting_off_the_features_are_bit_identical_to_the_global_smoothing()
    {
        // The checksum was taken from the code before per-series weights existed (same series, same settings).
        Assert.False(new ForecastSettings().PerSeriesSmoothing);
        var settings = Settings with { WeeklySeason = 48 };
        var values = Drawn(0.2f, 0.1f, 600, 6);
        var state = new BatchForecaster(settings, 1).CreateSeries();
        var features = new float[SeriesFeatures.Count];
        ulong hash = 14695981039346656037;
        for (var t = 0; t < values.Length; t++)
        {
            if (SeriesFeatures.Observe(state, settings, t, t % 37 == 3 ? double.NaN : Math.Exp(values[t]), features))
            {
                foreach (var f in features)
                {
                    hash = (hash ^ BitConverter.SingleToUInt32Bits(f)) * 1099511628211;
                }
            }
        }

        hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(state.Level)) * 1099511628211;
        Assert.Equal(GoldenHash, hash);
    }

    private const ulong GoldenHash = 15341128411061735535;

    [Fact]
    public void Settings_refuse_fit_points_outside_two_seasons_and_the_history()
    {
        Assert.Throws<ArgumentException>(() => (Settings with { PerSeriesSmoothing = true, SmoothingFitPoints = 24 }).Validate());
        Assert.Throws<ArgumentException>(() => (Settings with { PerSeriesSmoothing = true, SmoothingFitPoints = 401 }).Validate());
        (Settings with { PerSeriesSmoothing = true }).Validate();
        (Settings with { SmoothingFitPoints = 24 }).Validate();
    }
}
