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
    /// Steps a bucket stays open before it is forecast: 0 forecasts each point at once (the first value
    /// of a bucket wins, late points are dropped); N &gt; 0 takes the last value of a bucket and reorders
    /// points up to N steps late, at N steps of latency.
    /// </summary>
    public int ReorderWindowSteps { get; set; }

    /// <summary>Most missing steps filled with gaps (NaN) at once; a longer silence jumps ahead.</summary>
    public int MaxGapSteps { get; set; } = 48;

    /// <summary>Most points micro-batched into one model step per shard.</summary>
    public int MaxBatchSeries { get; set; } = 4096;
}
