using Forecaster.Worker.Profiles;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>A profile's IANA time zone becomes the offsets the seasons read (that a series carries it: <see cref="ProfileShardTests"/>).</summary>
public class ZoneOffsetsTests
{
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
