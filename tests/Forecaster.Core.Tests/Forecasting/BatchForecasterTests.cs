using Forecaster.Core.Forecasting;
using Forecaster.Testing;

namespace Forecaster.Core.Tests.Forecasting;

public class BatchForecasterTests
{
    private static readonly ForecastSettings Settings = new() { Season = 8, WarmupPoints = 16, HistoryCapacity = 64, HiddenSize = 8, Horizons = 4 };

    private static double Wave(long t, double level) => level * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 8.0)));

    [Fact]
    public void Serves_the_baseline_while_warming_up_then_the_model()
    {
        var forecaster = new BatchForecaster(Settings, 4);
        var series = forecaster.CreateSeries();
        for (var t = 0; t < 40; t++)
        {
            var slot = forecaster.Add(series, t, Wave(t, 50));
            forecaster.Step();
            if (t + 1 <= Settings.WarmupPoints)
            {
                Assert.Equal(SeriesStatus.WarmingUp, forecaster.Status(slot));
            }
            else if (t == Settings.WarmupPoints)
            {
                Assert.Equal(SeriesStatus.Ok, forecaster.Status(slot));
            }
            else
            {
                // Later the untrained model may lose to the baseline on this wave and fall back to it.
                Assert.NotEqual(SeriesStatus.WarmingUp, forecaster.Status(slot));
            }
        }
    }

    [Fact]
    public void Quantiles_never_cross_and_track_each_series_scale()
    {
        var forecaster = new BatchForecaster(Settings, 4);
        var small = forecaster.CreateSeries();
        var large = forecaster.CreateSeries();
        for (var t = 0; t < 40; t++)
        {
            forecaster.Add(small, t, Wave(t, 10) + (0.1 * Math.Cos(t)));
            forecaster.Add(large, t, Wave(t, 500_000) + (5000 * Math.Cos(t)));
            forecaster.Step();
        }

        var q = Settings.QuantileLevels.Length;
        for (var slot = 0; slot < 2; slot++)
        {
            var quantiles = forecaster.Quantiles(slot);
            for (var k = 0; k < Settings.Horizons; k++)
            {
                for (var i = 1; i < q; i++)
                {
                    Assert.True(quantiles[(k * q) + i] >= quantiles[(k * q) + i - 1]);
                }
            }
        }

        var median = Settings.MedianIndex;
        Assert.InRange(forecaster.Quantiles(0)[median], Wave(40, 10) * 0.8, Wave(40, 10) * 1.2);
        Assert.InRange(forecaster.Quantiles(1)[median], Wave(40, 500_000) * 0.8, Wave(40, 500_000) * 1.2);
    }

    [Fact]
    public void Scores_a_spike_above_the_band_and_a_drop_below_it_in_half_band_units()
    {
        var forecaster = new BatchForecaster(Settings, 1);
        var series = forecaster.CreateSeries();
        for (var t = 0; t < 40; t++)
        {
            forecaster.Add(series, t, Wave(t, 100) + Math.Cos(3 * t));
            forecaster.Step();
        }

        forecaster.Add(series, 40, Wave(40, 100) * 3);
        forecaster.Step();
        Assert.True(forecaster.AnomalyScore(0) > 1);
        Assert.Equal(1, forecaster.AnomalyDirection(0));
        forecaster.Add(series, 41, 0.0);
        forecaster.Step();
        Assert.True(forecaster.AnomalyScore(0) < -1);
    }

    [Fact]
    public void Refuses_a_series_twice_in_one_batch_and_a_full_batch()
    {
        var forecaster = new BatchForecaster(Settings, 1);
        var first = forecaster.CreateSeries();
        forecaster.Add(first, 0, 1);
        Assert.True(forecaster.IsPending(first));
        Assert.Throws<InvalidOperationException>(() => forecaster.Add(first, 1, 1));
        Assert.Throws<InvalidOperationException>(() => forecaster.Add(forecaster.CreateSeries(), 0, 1));
        forecaster.Step();
        Assert.False(forecaster.IsPending(first));
        Assert.Equal(1, forecaster.ResultCount);
    }

    [Fact]
    public void Refuses_a_model_of_another_shape()
    {
        var forecaster = new BatchForecaster(Settings, 1);
        var other = ModelFactory.CreateInitial(Settings with { HiddenSize = 16 });
        Assert.Throws<ArgumentException>(() => forecaster.SwapModel(other));
        var same = ModelFactory.CreateInitial(Settings).Clone(version: 3);
        forecaster.SwapModel(same);
        Assert.Equal(3, forecaster.ModelVersion);
    }

    [Fact]
    public void A_warmed_up_step_allocates_nothing()
    {
        var forecaster = new BatchForecaster(Settings, 8);
        var series = Enumerable.Range(0, 8).Select(_ => forecaster.CreateSeries()).ToArray();
        void Tick(long t)
        {
            for (var i = 0; i < series.Length; i++)
            {
                forecaster.Add(series[i], t, Wave(t + i, 10 + i));
            }

            forecaster.Step();
        }

        for (var t = 0; t < 30; t++)
        {
            Tick(t);
        }

        var next = 30L;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (var k = 0; k < 6; k++)
            {
                Tick(next++);
            }
        }));
    }

    [Fact]
    public void Same_settings_give_bit_identical_forecasts()
    {
        static double[] Run()
        {
            var forecaster = new BatchForecaster(Settings, 1);
            var series = forecaster.CreateSeries();
            for (var t = 0; t < 30; t++)
            {
                forecaster.Add(series, t, Wave(t, 7) + Math.Sin(t * 1.7));
                forecaster.Step();
            }

            return forecaster.Quantiles(0).ToArray();
        }

        Assert.Equal(Run(), Run());
    }
}
