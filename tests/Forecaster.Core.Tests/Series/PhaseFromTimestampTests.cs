using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Series;

/// <summary>Seasonal and calendar phases come from timestamps: a gap never shifts them, and training windows see serving's.</summary>
public class PhaseFromTimestampTests
{
    private const long Hour = 3_600_000;
    private const long Start = 1_764_100_800_000 + (7 * Hour); // 07:00 UTC: not the start of a day or a week
    private static readonly ForecastSettings Settings = new() { Season = 24, WeeklySeason = 168, WarmupPoints = 24, HistoryCapacity = 200, HiddenSize = 4, Horizons = 3 };

    private static double Daily(long slot) => 100 + (30 * Math.Sin(2 * Math.PI * slot / 24.0)) + (5 * Math.Cos(2 * Math.PI * slot / 168.0));

    /// <summary>Observes hourly slots [from, to) of the daily pattern (skipping <paramref name="skip"/>) and returns the features per slot.</summary>
    private static Dictionary<long, float[]> Feed(SeriesState state, long from, long to, Func<long, bool>? skip = null, bool calendar = false)
    {
        var settings = Settings with { CalendarFeatures = calendar };
        var seen = new Dictionary<long, float[]>();
        for (var slot = from; slot < to; slot++)
        {
            if (skip?.Invoke(slot) == true)
            {
                continue;
            }

            var features = new float[SeriesFeatures.Count];
            if (SeriesFeatures.Observe(state, settings, slot * Hour, Daily(slot), features, Hour))
            {
                seen[slot] = features;
            }
        }

        return seen;
    }

    private static float Expected(long slot, int period, bool sine) =>
        sine ? MathF.Sin(2 * MathF.PI * (slot % period) / period) : MathF.Cos(2 * MathF.PI * (slot % period) / period);

    [Fact]
    public void A_gap_longer_than_any_fill_keeps_the_phase()
    {
        var first = Start / Hour;
        var state = new SeriesState(Settings);
        var gapFrom = first + 60;
        var gapTo = gapFrom + 101; // 101 silent hours: not a multiple of a day or a week
        var seen = Feed(state, first, gapTo + 60, s => s >= gapFrom && s < gapTo);

        foreach (var slot in new[] { gapTo, gapTo + 1, gapTo + 59 })
        {
            Assert.Equal(Expected(slot, 24, sine: true), seen[slot][3], 5);
            Assert.Equal(Expected(slot, 24, sine: false), seen[slot][4], 5);
            Assert.Equal(Expected(slot, 168, sine: true), seen[slot][5], 5);
        }

        // The smoothing state forecasts the pattern at the right hour after the gap: its seasonal indices follow time.
        var forecast = ValueTransform.Inverse(SeriesFeatures.BaseForecast(state, Settings, 1), state.Scale);
        Assert.Equal(Daily(gapTo + 60), forecast, 2.0);
    }

    [Fact]
    public void The_history_keeps_one_value_per_slot_across_a_gap()
    {
        var first = Start / Hour;
        var state = new SeriesState(Settings);
        Feed(state, first, first + 150, s => s >= first + 100 && s < first + 130);

        var history = state.CopyHistory();
        var axis = HistoryAxis.Of(state);
        Assert.Equal(Hour, axis.StepMs);
        for (var i = 0; i < history.Length; i++)
        {
            var slot = axis.FirstSlot + i;
            var expected = slot >= first + 100 && slot < first + 130 ? float.NaN : (float)Daily(slot);
            Assert.Equal(expected, history[i]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_windows_see_the_phase_features_serving_saw(bool calendar)
    {
        var first = Start / Hour;
        var state = new SeriesState(Settings);
        var serving = Feed(state, first, first + 500, s => s >= first + 410 && s < first + 437, calendar); // the ring (200) has wrapped

        var axis = HistoryAxis.Of(state);
        var history = state.CopyHistory();
        var training = TrainingSeries.Build(history, [], Settings with { CalendarFeatures = calendar }, axis.FirstSlot, axis.StepMs);

        var compared = 0;
        for (var row = 0; row < training.Rows; row++)
        {
            var slot = axis.FirstSlot + Settings.Season + row;
            if (!serving.TryGetValue(slot, out var served))
            {
                continue; // a slot of the gap: serving stepped nothing there
            }

            for (var f = 3; f <= 6; f++)
            {
                Assert.Equal(served[f], training.Inputs[(row * SeriesFeatures.Count) + f], 5);
            }

            compared++;
        }

        Assert.True(compared > 100, $"only {compared} rows compared");
    }

    [Fact]
    public void Weekly_components_shared_by_consecutive_steps_keep_the_week_across_a_gap()
    {
        // Five-minute steps: a day of 288, a week of 168 hourly components of 12 steps each (672 B, not 8 KB).
        const long FiveMinutes = 300_000;
        var settings = new ForecastSettings { Season = 288, WeeklySeason = 168, WeeklyStride = 12, WarmupPoints = 288, HistoryCapacity = 600, HiddenSize = 4, Horizons = 3 };
        settings.Validate();
        var state = new SeriesState(settings);
        var features = new float[SeriesFeatures.Count];
        var first = Start / FiveMinutes;
        static double Weekly(long slot) => 100 + (20 * Math.Sin(2 * Math.PI * (slot / 12 % 168) / 168.0));
        for (var slot = first; slot < first + 2400; slot++)
        {
            if (slot < first + 1000 || slot >= first + 1777)
            {
                SeriesFeatures.Observe(state, settings, slot * FiveMinutes, Weekly(slot), features, FiveMinutes);
            }
        }

        var last = first + 2399;
        Assert.Equal(MathF.Sin(2 * MathF.PI * (last % 2016) / 2016f), features[5], 4);
        Assert.Equal(MathF.Sin(2 * MathF.PI * (last % 288) / 288f), features[3], 4);
        Assert.Equal(168, state.Weekly.Length);
    }

    [Fact]
    public void Step_indices_as_timestamps_give_the_phases_they_always_did()
    {
        var settings = Settings with { WeeklySeason = 0 };
        var state = new SeriesState(settings);
        var features = new float[SeriesFeatures.Count];
        for (var t = 0; t < 40; t++)
        {
            SeriesFeatures.Observe(state, settings, t, Daily(t), features);
        }

        Assert.Equal(Expected(39, 24, sine: true), features[3], 5);
        Assert.Equal(Expected(39, 168, sine: true), features[5], 5);
    }
}
