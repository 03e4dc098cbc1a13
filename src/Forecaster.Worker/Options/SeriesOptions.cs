using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Options;

/// <summary>The <c>Series</c> section: per-series timeline and the per-shard cap.</summary>
internal sealed class SeriesOptions
{
    public const string Section = "Series";

    /// <summary>Most series one shard (partition) keeps; the least recently seen is evicted beyond it.</summary>
    public int MaxSeriesPerShard { get; set; } = 100_000;

    /// <summary>Step of every series in seconds; 0 learns it per series from its first points.</summary>
    [Duration(DurationUnit.Seconds)]
    public int StepSeconds { get; set; }

    /// <summary>Points used to learn the step (near-duplicates refused, the deltas around their median averaged and snapped to a standard
    /// interval when jittered); twice as many consecutive deltas at a new spacing re-learn it.</summary>
    public int StepLearningPoints { get; set; } = 4;

    /// <summary>
    /// Least step of a series whose step is learned, in seconds (or "5m"): the learned raw interval, or this if larger,
    /// rounded up to a standard step (1m, 5m, 10m, 15m, 30m, 1h, 1d), and the raw points of each step aggregated
    /// (see <see cref="Aggregation"/>). 0 (the default): the learned step is the raw interval, as before.
    /// Never applied to a configured <see cref="StepSeconds"/>.
    /// </summary>
    [Duration(DurationUnit.Seconds)]
    public int MinStep { get; set; }

    /// <summary>
    /// Bounded wait for a quiet series, in seconds of stream time (or "10m"): an open bucket that ended this long before the
    /// newest point of its shard is closed and forecast without waiting for the series' next point (checked once per this
    /// much stream time, so a bucket waits up to twice it). 0 (the default): a bucket closes only when a later one begins.
    /// </summary>
    [Duration(DurationUnit.Seconds)]
    public int BucketCloseAfter { get; set; }

    /// <summary>How a gauge's raw points in one step bucket become its value: mean (the default), last, min, max or sum. A counter's bucket is its per-second rate.</summary>
    public BucketAggregation Aggregation { get; set; } = BucketAggregation.Mean;

    /// <summary>
    /// Steps a bucket stays open before it is forecast: 0 forecasts each point at once (the first point of a
    /// bucket makes its value, later ones are dropped), unless a <see cref="MinStep"/> floor made a step of several
    /// raw points: then a bucket closes when the next begins. N &gt; 0 aggregates every point of a bucket and
    /// reorders points up to N steps late, at N steps of latency.
    /// </summary>
    public int ReorderWindowSteps { get; set; }

    /// <summary>Most missing steps filled with gaps (NaN) at once; a longer silence jumps ahead.</summary>
    public int MaxGapSteps { get; set; } = 48;

    /// <summary>Most points micro-batched into one model step per shard.</summary>
    public int MaxBatchSeries { get; set; } = 4096;
}
