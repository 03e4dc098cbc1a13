namespace Forecaster.Worker.Processing;

/// <summary>
/// The running aggregate of one open step bucket of a series: its first and newest raw timestamps, the input
/// offset that holds the bucket's raw points back (the smallest tracked one: every later point of the bucket is
/// read again after a crash from there; negative when detached, see <see cref="OffsetTracker"/>), how many raw
/// points it took, and for a gauge their sum, min, max and newest value; for a counter its first and newest raw
/// values and the increase between them, a drop counted as a restart from 0. 72 bytes.
/// </summary>
internal struct Bucket
{
    public long FirstTs;
    public long LastTs;
    public long Offset;
    public int Count;
    public double First;
    public double Last;

    /// <summary>A gauge's sum of values; a counter's increase from <see cref="First"/> to <see cref="Last"/>.</summary>
    public double Sum;
    public double Min;
    public double Max;

    /// <summary>A bucket holding one raw point.</summary>
    public static Bucket Of(long ts, double value, long offset, bool counter) => new()
    {
        FirstTs = ts,
        LastTs = ts,
        Offset = offset,
        Count = 1,
        First = value,
        Last = value,
        Sum = counter ? 0 : value,
        Min = value,
        Max = value,
    };

    /// <summary>
    /// Adds a raw point at <paramref name="ts"/>, not one already in the bucket; a counter's point must be newer
    /// than <see cref="LastTs"/> (an older one cannot be placed between increases, and is refused before this).
    /// </summary>
    public void Add(long ts, double value, bool counter)
    {
        Count++;
        if (counter)
        {
            Sum += value >= Last ? value - Last : value;
        }
        else
        {
            Sum += value;
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }

        if (ts > LastTs)
        {
            LastTs = ts;
            Last = value;
        }

        if (ts < FirstTs)
        {
            FirstTs = ts;
            First = value;
        }
    }

    /// <summary>A gauge bucket's value by <paramref name="aggregation"/>.</summary>
    public readonly double Gauge(BucketAggregation aggregation) => aggregation switch
    {
        BucketAggregation.Last => Last,
        BucketAggregation.Min => Min,
        BucketAggregation.Max => Max,
        BucketAggregation.Sum => Sum,
        _ => Sum / Count,
    };

    /// <summary>
    /// A counter bucket's per-second rate: the increase from the previous bucket's newest raw value
    /// (<paramref name="hasPrevious"/>) through every point of this one, over the time from that point to this
    /// bucket's newest; without a previous bucket, over this bucket's own span (NaN for a single point).
    /// </summary>
    public readonly double Rate(bool hasPrevious, double previous, long previousTs)
    {
        if (hasPrevious && LastTs > previousTs)
        {
            var into = First >= previous ? First - previous : First;
            return (into + Sum) * 1000.0 / (LastTs - previousTs);
        }

        return LastTs > FirstTs ? Sum * 1000.0 / (LastTs - FirstTs) : double.NaN;
    }

    /// <summary>The point the held-point releaser judges the bucket by: its first raw timestamp and its held offset.</summary>
    public readonly SeriesTimeline.Held AsHeld() => new(FirstTs, Last, Offset);
}
