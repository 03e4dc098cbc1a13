using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Series;

/// <summary>Seasons in a time zone's local time: the phases shift with its offset, daylight saving included, while slots and history stay UTC.</summary>
public class LocalPhaseTests
{
    private const long Hour = 3_600_000;
    private const long Start = 1_764_100_800_000 + (7 * Hour);
    private static readonly ForecastSettings Settings = new() { Season = 24, WeeklySeason = 168, WarmupPoints = 24, HistoryCapacity = 200, HiddenSize = 4, Horizons = 3 };

    private static double Local(long localSlot) => 100 + (30 * Math.Sin(2 * Math.PI * localSlot / 24.0));

    /// <summary>Observes UTC slots [from, to) of <paramref name="value"/>, timestamped <paramref name="shiftMs"/> later than their slot; features per slot.</summary>
    private static Dictionary<long, float[]> Feed(SeriesState state, ForecastSettings settings, long from, long to, Func<long, double> value, long shiftMs = 0)
    {
        var seen = new Dictionary<long, float[]>();
        for (var slot = from; slot < to; slot++)
        {
            var features = new float[SeriesFeatures.Count];
            if (SeriesFeatures.Observe(state, settings, (slot * Hour) + shiftMs, value(slot), features, Hour))
            {
                seen[slot] = features;
            }
        }

        return seen;
    }

    [Fact]
    public void Offsets_are_looked_up_by_the_last_change_at_or_before_the_instant()
    {
        var zone = new UtcOffsets("test", [1_000, 2_000, 3_000], [3_600_000, 7_200_000, -1_800_000]);

        Assert.Equal(3_600_000, zone.OffsetMs(-5)); // before the first change: the first offset
        Assert.Equal(3_600_000, zone.OffsetMs(1_999));
        Assert.Equal(7_200_000, zone.OffsetMs(2_000));
        Assert.Equal(-1_800_000, zone.OffsetMs(long.MaxValue / 2));
        Assert.Equal(10 - 1, UtcOffsets.Fixed("half", -1_800_000).LocalSlot(10, Hour)); // −30 min at an hour's step: the slot before
        Assert.Throws<ArgumentException>(() => new UtcOffsets("bad", [2, 1], [0, 0]));
        Assert.Throws<ArgumentException>(() => new UtcOffsets("bad", [1], [90_000_000]));
        Assert.Throws<ArgumentException>(() => new UtcOffsets("bad", [], []));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fixed_offset_gives_the_features_of_the_same_points_timestamped_in_local_time(bool calendar)
    {
        var settings = Settings with { CalendarFeatures = calendar };
        var first = Start / Hour;
        var zoned = new SeriesState(settings) { Zone = UtcOffsets.Fixed("+03", 3 * Hour) };
        var shifted = new SeriesState(settings);
        var local = Feed(zoned, settings, first, first + 300, s => Local(s + 3));
        var reference = Feed(shifted, settings, first, first + 300, s => Local(s + 3), shiftMs: 3 * Hour);

        Assert.Equal(reference.Count, local.Count);
        foreach (var (slot, features) in reference)
        {
            Assert.Equal(features, local[slot]);
        }

        Assert.Equal(SeriesFeatures.BaseForecast(shifted, settings, 2), SeriesFeatures.BaseForecast(zoned, settings, 2));
        Assert.Equal(HistoryAxis.Of(shifted).FirstSlot - 3, HistoryAxis.Of(zoned).FirstSlot); // the axis stays UTC
    }

    [Fact]
    public void Across_a_daylight_saving_change_the_seasons_keep_local_time()
    {
        // A zone at +1 h that moves to +2 h: load that peaks at local noon peaks an hour earlier in UTC after the change.
        var first = Start / Hour;
        var change = (first + 24 * 20) * Hour;
        var zone = new UtcOffsets("summer", [0, change], [Hour, 2 * Hour]);
        var state = new SeriesState(Settings) { Zone = zone };
        long LocalSlot(long slot) => slot + (zone.OffsetMs(slot * Hour) / Hour);
        var end = first + (24 * 20) + 6; // six hours after the change
        Feed(state, Settings, first, end, s => Local(LocalSlot(s)));
        var utc = new SeriesState(Settings);
        Feed(utc, Settings, first, end, s => Local(LocalSlot(s)));

        // Right after the change the local-time state forecasts the local pattern; the UTC one is an hour off.
        double Error(SeriesState s)
        {
            double sum = 0;
            for (var h = 1; h <= Settings.Horizons; h++)
            {
                sum += Math.Abs(ValueTransform.Inverse(SeriesFeatures.BaseForecast(s, Settings, h), s.Scale) - Local(LocalSlot(end - 1 + h)));
            }

            return sum / Settings.Horizons;
        }

        Assert.True(Error(state) < 0.01, $"local-time error {Error(state)}");
        Assert.True(Error(state) < Error(utc) / 2, $"local {Error(state)} against UTC {Error(utc)}");
    }

    [Fact]
    public void Training_windows_and_replays_see_the_local_phases_serving_saw()
    {
        var first = Start / Hour;
        var zone = new UtcOffsets("summer", [0, (first + 300) * Hour], [Hour, 2 * Hour]);
        var state = new SeriesState(Settings with { CalendarFeatures = true }) { Zone = zone };
        var serving = Feed(state, Settings with { CalendarFeatures = true }, first, first + 500, s => Local(s));

        var axis = HistoryAxis.Of(state);
        Assert.Same(zone, axis.Zone);
        var training = TrainingSeries.Build(state.CopyHistory(), [], Settings with { CalendarFeatures = true }, axis.FirstSlot, axis.StepMs, axis.Zone);
        var compared = 0;
        for (var row = 0; row < training.Rows; row++)
        {
            var slot = axis.FirstSlot + Settings.Season + row;
            for (var f = 3; f <= 6; f++)
            {
                Assert.Equal(serving[slot][f], training.Inputs[(row * SeriesFeatures.Count) + f], 5);
            }

            compared++;
        }

        Assert.True(compared > 150, $"only {compared} rows compared");
    }
}
