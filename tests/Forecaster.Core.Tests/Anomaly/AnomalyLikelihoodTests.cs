using Forecaster.Core.Anomaly;
using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Tests.Anomaly;

public class AnomalyLikelihoodTests
{
    private static readonly ForecastSettings Settings = new() { Season = 24, WarmupPoints = 48, HiddenSize = 8, Horizons = 2 };

    /// <summary>A daily wave with deterministic noise of about 2 % (fixed seed).</summary>
    private static double[] Seasonal(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(t => 100 + (20 * Math.Sin(2 * Math.PI * t / 24)) + (2 * ((random.NextDouble() * 2) - 1))).ToArray();
    }

    /// <summary>Runs <paramref name="values"/> through one series; returns the events and likelihoods per step and the warming-up flags.</summary>
    private static (int[] Events, double[] Likelihoods, bool[] WarmingUp) Run(double[] values, ForecastSettings? settings = null)
    {
        var forecaster = new BatchForecaster(settings ?? Settings, 1);
        var series = forecaster.CreateSeries();
        var events = new int[values.Length];
        var likelihoods = new double[values.Length];
        var warming = new bool[values.Length];
        for (var t = 0; t < values.Length; t++)
        {
            forecaster.Add(series, t * 3_600_000L, values[t]);
            forecaster.Step();
            events[t] = forecaster.AnomalyFlag(0);
            likelihoods[t] = forecaster.AnomalyLikelihood(0);
            warming[t] = forecaster.Status(0) == SeriesStatus.WarmingUp;
        }

        return (events, likelihoods, warming);
    }

    [Fact]
    public void A_seasonal_series_without_anomalies_gives_at_most_one_event_in_2000_points()
    {
        // The old band flag marked about one point in five here; the default threshold targets one false event
        // per 2016 points (one a week at 5-minute steps) on normal data.
        var (events, likelihoods, _) = Run(Seasonal(2000, 3));

        Assert.All(likelihoods, l => Assert.InRange(l, 0, 1));
        Assert.InRange(events.Count(e => e != 0), 0, 1);
        Assert.True(likelihoods.Order().ElementAt(likelihoods.Length / 2) < 0.05, "the median likelihood of normal data is small");
    }

    [Fact]
    public void A_spike_is_one_event_upwards_at_the_spike()
    {
        var values = Seasonal(800, 4);
        values[600] += 200;

        var (events, likelihoods, _) = Run(values);

        Assert.Equal(1, events[600]);
        Assert.Equal(1, events.Count(e => e != 0));
        Assert.True(likelihoods[600] >= Settings.AnomalyThreshold);
    }

    [Fact]
    public void A_level_shift_down_is_one_event_and_then_the_new_level_is_learned()
    {
        var values = Seasonal(1600, 5);
        for (var t = 600; t < values.Length; t++)
        {
            values[t] -= 60;
        }

        var (events, likelihoods, _) = Run(values);

        var fired = Enumerable.Range(0, values.Length).Where(t => events[t] != 0).ToArray();
        Assert.Single(fired);
        Assert.InRange(fired[0], 600, 615);
        Assert.Equal(-1, events[fired[0]]);
        Assert.All(likelihoods[1200..], l => Assert.True(l < Settings.AnomalyThreshold * AnomalyEvent.RearmFraction, $"likelihood {l} long after the shift"));
    }

    [Fact]
    public void No_event_while_warming_up_even_for_a_spike()
    {
        var values = Seasonal(200, 6);
        values[30] += 500;

        var (events, _, warming) = Run(values);

        Assert.True(warming[30]);
        Assert.Equal(0, events[30]);
    }

    [Fact]
    public void Flat_series_and_runs_of_zeros_stay_finite_and_a_step_out_of_a_flat_line_is_one_event()
    {
        var values = new double[900];
        for (var t = 0; t < values.Length; t++)
        {
            values[t] = t < 300 ? 0 : t < 600 ? 5 : 5 + (t % 7 == 0 ? 0 : 1e-300);
        }

        var (events, likelihoods, _) = Run(values);

        Assert.All(likelihoods, l => Assert.True(double.IsFinite(l) && l >= 0 && l <= 1));
        Assert.Equal(1, events[300]);
        Assert.Equal(1, events.Count(e => e != 0));
    }

    [Fact]
    public void The_surprise_interpolates_each_side_of_the_band_as_a_normal_and_clips()
    {
        var z90 = NormalQuantile.Of(0.9);
        Assert.Equal(z90, AnomalyLikelihood.Surprise(110, 80, 100, 110, -z90, z90), 12);
        Assert.Equal(-z90 / 2, AnomalyLikelihood.Surprise(90, 80, 100, 110, -z90, z90), 12);
        Assert.Equal(AnomalyLikelihood.SurpriseCap, AnomalyLikelihood.Surprise(1e9, 80, 100, 110, -z90, z90));
        Assert.Equal(AnomalyLikelihood.SurpriseCap, AnomalyLikelihood.Surprise(1, 0, 0, 0, -z90, z90));
        Assert.Equal(0, AnomalyLikelihood.Surprise(0, 0, 0, 0, -z90, z90));
        Assert.Equal(0, AnomalyLikelihood.Surprise(double.NaN, 0, 0, 0, -z90, z90));
    }

    [Fact]
    public void Hysteresis_fires_once_per_crossing_and_re_arms_below_half_the_threshold()
    {
        var state = default(AnomalyState);
        double[] likelihoods = [0.1, 0.7, 0.9, 0.6, 0.4, 0.8, 0.2, 0.65, 0.3];
        int[] expected = [0, 1, 0, 0, 0, 0, 0, -1, 0];
        for (var i = 0; i < likelihoods.Length; i++)
        {
            Assert.Equal(expected[i], AnomalyEvent.Next(ref state, likelihoods[i], i < 5 ? 1 : -1, 0.6, allowed: true));
        }
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959963984540054, 0.025)]
    [InlineData(-1.0, 0.8413447460685429)]
    [InlineData(5.0, 2.866515718791939e-7)]
    public void Normal_tail_matches_known_values_to_its_fractional_error(double z, double tail)
    {
        Assert.Equal(1.0, NormalTail.Upper(z) / tail, 6);
    }

    [Fact]
    public void Normal_tail_logarithm_stays_finite_far_out()
    {
        // Q(40) ≈ φ(40)/40: ln ≈ −800 − ln 40 − ln √(2π).
        var expected = -800 - Math.Log(40) - (0.5 * Math.Log(2 * Math.PI));
        Assert.Equal(expected, NormalTail.LogUpper(40), 2);
    }
}
