namespace Forecaster.Worker.Processing;

/// <summary>What a <see cref="SeriesTimeline"/> hands on once a bucket leaves its reorder window.</summary>
internal enum ObservationKind
{
    /// <summary>A value at its bucket's time, to be stepped and forecast.</summary>
    Point,

    /// <summary>A missing bucket: stepped with NaN (never trained on), not published.</summary>
    Gap,

    /// <summary>A point that will never be stepped (superseded in its bucket): its offset is done.</summary>
    Dropped,
}

/// <summary>One released step of a series: bucket time (epoch ms), value (rate for counters), source offset (-1 for gaps).</summary>
internal readonly record struct Observation(long TimestampMs, double Value, long Offset, ObservationKind Kind);
