namespace Forecaster.Worker.Processing;

/// <summary>What a <see cref="SeriesTimeline"/> hands on once a bucket leaves its reorder window.</summary>
internal enum ObservationKind
{
    /// <summary>A value at its bucket's time, to be stepped and forecast.</summary>
    Point,

    /// <summary>A missing bucket: stepped with NaN (never trained on), not published.</summary>
    Gap,

    /// <summary>A point that will never be stepped on its own (superseded, or merged into a bucket whose hold moved to an earlier offset): its offset is done.</summary>
    Dropped,
}

/// <summary>
/// One released step of a series: bucket time (epoch ms), value (the bucket's aggregate; a rate for counters), the
/// offset holding the bucket's raw points (-1 for gaps), and how many raw points the bucket held (0 but for points).
/// </summary>
internal readonly record struct Observation(long TimestampMs, double Value, long Offset, ObservationKind Kind, int Points = 0);
