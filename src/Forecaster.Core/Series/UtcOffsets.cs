namespace Forecaster.Core.Series;

/// <summary>
/// A time zone as the seasons see it: the offset from UTC that starts at each transition (daylight saving, or a change
/// of the zone's rules), so a series whose load follows local days keeps its phase across them. Plain data, made once
/// per zone by the caller (the worker turns an IANA zone into one); looking up an offset is a binary search that
/// allocates nothing. Shared by every series of the zone; immutable.
/// </summary>
public sealed class UtcOffsets
{
    private readonly long[] _fromMs;
    private readonly long[] _offsetMs;

    /// <param name="name">The zone's name (for logs and tests).</param>
    /// <param name="fromMs">Ascending UTC instants (ms since the epoch) at which each offset starts; the first applies before it too.</param>
    /// <param name="offsetMs">Local time minus UTC from each instant on, in ms, within ±1 day.</param>
    /// <exception cref="ArgumentException">Lengths differ, none is given, instants not ascending or an offset beyond a day.</exception>
    public UtcOffsets(string name, long[] fromMs, long[] offsetMs)
    {
        ArgumentNullException.ThrowIfNull(fromMs);
        ArgumentNullException.ThrowIfNull(offsetMs);
        if (fromMs.Length == 0 || fromMs.Length != offsetMs.Length)
        {
            throw new ArgumentException($"a zone needs as many offsets as instants, at least one ({fromMs.Length} instants, {offsetMs.Length} offsets)", nameof(offsetMs));
        }

        for (var i = 0; i < fromMs.Length; i++)
        {
            if (i > 0 && fromMs[i] <= fromMs[i - 1])
            {
                throw new ArgumentException($"instant {i} ({fromMs[i]}) is not after instant {i - 1} ({fromMs[i - 1]})", nameof(fromMs));
            }

            if (Math.Abs(offsetMs[i]) > 86_400_000)
            {
                throw new ArgumentException($"offset {i} ({offsetMs[i]} ms) is beyond a day", nameof(offsetMs));
            }
        }

        Name = name;
        _fromMs = (long[])fromMs.Clone();
        _offsetMs = (long[])offsetMs.Clone();
    }

    public string Name { get; }

    /// <summary>Transitions held (the first offset counts as one).</summary>
    public int Count => _fromMs.Length;

    /// <summary>A zone with one offset for all time.</summary>
    public static UtcOffsets Fixed(string name, long offsetMs) => new(name, [0], [offsetMs]);

    /// <summary>Local time minus UTC at <paramref name="utcMs"/>, in ms.</summary>
    public long OffsetMs(long utcMs)
    {
        var index = Array.BinarySearch(_fromMs, utcMs);
        if (index < 0)
        {
            index = Math.Max(0, ~index - 1); // the last instant before utcMs; before the first, the first offset
        }

        return _offsetMs[index];
    }

    /// <summary>The local slot of UTC slot <paramref name="slot"/> at step <paramref name="stepMs"/>: shifted by the offset, in whole steps (rounded down).</summary>
    public long LocalSlot(long slot, long stepMs)
    {
        var shift = Math.DivRem(OffsetMs(slot * stepMs), stepMs, out var rest) - (rest < 0 ? 1 : 0);
        return slot + shift;
    }
}
