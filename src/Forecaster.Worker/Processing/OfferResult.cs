namespace Forecaster.Worker.Processing;

/// <summary>What happened to one point offered to its series' timeline.</summary>
internal enum OfferResult
{
    /// <summary>Held by the timeline; it comes back as an <see cref="Observation"/> (point or dropped).</summary>
    Accepted,

    /// <summary>Same timestamp as a point already seen: dropped.</summary>
    Duplicate,

    /// <summary>Its bucket was already forecast (a later point of a bucket released at once, window 0): dropped.</summary>
    LateInBucket,

    /// <summary>Added to an open bucket that already holds an earlier offset: in the bucket's aggregate, its own offset is done (the bucket's hold covers it).</summary>
    Merged,

    /// <summary>A counter's point older than the newest of its open bucket: dropped (an increase cannot be placed behind a later one).</summary>
    Superseded,

    /// <summary>Before the series' reorder window: refused (dead letter <c>timestamp_too_old</c>).</summary>
    TooOld,

    /// <summary>Its offset is before the one the series' restored record absorbed (read again after a checkpoint a crash cut short): already in the state, dropped.</summary>
    Absorbed,
}
