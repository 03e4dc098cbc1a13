using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Profiles;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Publish;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>A profile's IANA time zone becomes the offsets the seasons read, and every series of the profile carries it, restored ones too.</summary>
public class ZoneOffsetsTests
{
    private const long T0 = 1_764_100_800_000;

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Australia/Adelaide")] // +9:30 / +10:30, southern summer
    [InlineData("Asia/Kolkata")]
    public void The_offsets_equal_the_zones_at_random_instants_and_at_each_change(string id)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        var offsets = ZoneOffsets.From(zone);
        var random = new Random(11);
        var from = new DateTimeOffset(ZoneOffsets.FirstYear, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(ZoneOffsets.LastYear, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < 20_000; i++)
        {
            var at = random.NextInt64(from, to);
            Assert.Equal((long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(at)).TotalMilliseconds, offsets.OffsetMs(at));
        }

        // The 2026 changes, to the minute (a minute before each, the old offset).
        foreach (var change in Changes(zone, 2026))
        {
            var ms = change.ToUnixTimeMilliseconds();
            Assert.Equal((long)zone.GetUtcOffset(change).TotalMilliseconds, offsets.OffsetMs(ms));
            Assert.Equal((long)zone.GetUtcOffset(change.AddMinutes(-1)).TotalMilliseconds, offsets.OffsetMs(ms - 60_000));
        }
    }

    [Fact]
    public void Berlin_changes_twice_a_year_at_one_in_the_morning_utc()
    {
        var offsets = ZoneOffsets.From(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var spring = DateTimeOffset.Parse("2026-03-29T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var autumn = DateTimeOffset.Parse("2026-10-25T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

        Assert.Equal((3_600_000L, 7_200_000L), (offsets.OffsetMs(spring - 1), offsets.OffsetMs(spring)));
        Assert.Equal((7_200_000L, 3_600_000L), (offsets.OffsetMs(autumn - 1), offsets.OffsetMs(autumn)));
        Assert.Equal("Europe/Berlin", offsets.Name);
    }

    [Fact]
    public void A_series_of_a_zoned_profile_carries_the_zone_when_created_and_when_restored()
    {
        var series = new SeriesOptions();
        var profiles = ProfileSet.TryBuild(
            new ProfilesOptions { Rules = [new() { Name = "shop", Metric = "orders_*", TimeZone = "America/New_York" }] },
            new ForecastOptions(),
            series,
            out var problems);
        Assert.True(profiles is not null, string.Join("; ", problems));
        var settings = new ForecastSettings { Horizons = 2, Season = 4, WarmupPoints = 4, HistoryCapacity = 16, HiddenSize = 4 };
        var shard = new Shard(0, series, settings, new WritingSink(new ForecastRecordWriter("lstm", [0.1f, 0.5f, 0.9f])), profiles);
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < 10; t++)
        {
            foreach (var (metric, i) in new[] { ("orders_total", 0), ("cpu", 1) })
            {
                Assert.Null(decoder.Decode(System.Text.Encoding.UTF8.GetBytes($$"""{"metric":"{{metric}}","labels":{},"ts":{{T0 + (t * 60_000)}},"value":{{t}},"kind":"gauge"}"""), InputFormat.Canonical, T0 + 100_000_000));
                var offset = (t * 2) + i;
                shard.Offsets.Register(offset);
                shard.Offer(decoder.Record, decoder.Ids, 0, offset);
                shard.Offsets.Release(offset);
            }

            shard.Flush();
        }

        var orders = shard.Series.Single(s => s.Id.StartsWith("orders", StringComparison.Ordinal));
        Assert.Equal("America/New_York", orders.State.Zone?.Name);
        Assert.Null(shard.Series.Single(s => s.Id.StartsWith("cpu", StringComparison.Ordinal)).State.Zone);

        orders.State.Zone = null; // as a decoded checkpoint record has it: the zone is not saved
        var restored = new Shard(0, series, settings, new WritingSink(new ForecastRecordWriter("lstm", [0.1f, 0.5f, 0.9f])), profiles);
        restored.StartRestore(null);
        restored.RestoreSeries(orders, []);
        Assert.Equal("America/New_York", orders.State.Zone?.Name);
    }

    private static IEnumerable<DateTimeOffset> Changes(TimeZoneInfo zone, int year)
    {
        var at = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var offset = zone.GetUtcOffset(at);
        for (var minute = at; minute.Year == year; minute = minute.AddMinutes(15))
        {
            if (zone.GetUtcOffset(minute) != offset)
            {
                offset = zone.GetUtcOffset(minute);
                yield return minute;
            }
        }
    }
}
