namespace Forecaster.Worker.Processing;

/// <summary>How the raw points of a gauge's step bucket become its one value (<c>Series:Aggregation</c>); a counter's bucket is always a per-second rate.</summary>
internal enum BucketAggregation
{
    /// <summary>The mean of the bucket's points: jitter and uneven scrape counts do not move it, and it is what a slower scrape of an averaging exporter would report.</summary>
    Mean,

    /// <summary>The value of the bucket's newest point (what the timeline kept before buckets aggregated).</summary>
    Last,

    /// <summary>The smallest value of the bucket.</summary>
    Min,

    /// <summary>The largest value of the bucket.</summary>
    Max,

    /// <summary>The sum of the bucket's values (events counted per point).</summary>
    Sum,
}
