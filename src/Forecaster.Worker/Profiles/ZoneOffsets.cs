using Forecaster.Core.Series;

namespace Forecaster.Worker.Profiles;

/// <summary>
/// Turns an IANA time zone into the <see cref="UtcOffsets"/> the seasons read: every change of its UTC offset from
/// <see cref="FirstYear"/> to <see cref="LastYear"/> (daylight saving and rule changes), found day by day and pinned to
/// the minute. Made once per profile at start (a few tens of milliseconds); after the last year the last offset holds.
/// </summary>
internal static class ZoneOffsets
{
    public const int FirstYear = 1970;
    public const int LastYear = 2100;

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static UtcOffsets From(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var at = new DateTimeOffset(FirstYear, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(LastYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var current = Offset(zone, at);
        List<long> from = [at.ToUnixTimeMilliseconds()];
        List<long> offsets = [current];
        while (at < end)
        {
            var next = at + Day;
            var offset = Offset(zone, next);
            if (offset != current)
            {
                var (before, after) = (at, next); // the change lies in (before, after]
                while (after - before > Minute)
                {
                    var middle = before + ((after - before) / 2);
                    (before, after) = Offset(zone, middle) == current ? (middle, after) : (before, middle);
                }

                var change = new DateTimeOffset(after.UtcTicks - (after.UtcTicks % Minute.Ticks), TimeSpan.Zero);
                change = Offset(zone, change) == offset ? change : change + Minute;
                from.Add(change.ToUnixTimeMilliseconds());
                offsets.Add(offset);
                current = offset;
            }

            at = next;
        }

        return new UtcOffsets(zone.Id, [.. from], [.. offsets]);
    }

    private static long Offset(TimeZoneInfo zone, DateTimeOffset utc) => (long)zone.GetUtcOffset(utc).TotalMilliseconds;
}
