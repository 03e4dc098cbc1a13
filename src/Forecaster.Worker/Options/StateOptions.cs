namespace Forecaster.Worker.Options;

/// <summary>The <c>State</c> section: checkpoints of every shard to <c>Kafka:StateTopic</c> and restore on assign.</summary>
internal sealed class StateOptions
{
    public const string Section = "State";

    /// <summary>Seconds between two checkpoints of the assigned shards (also taken on revoke and at shutdown); 0 turns checkpoints and restore off.</summary>
    [Duration(DurationUnit.Seconds)]
    public int CheckpointIntervalSeconds { get; set; } = 30;

    /// <summary>Longest a restore of one partition may take reading the state topic; beyond it the worker stops (it is restarted and tries again).</summary>
    [Duration(DurationUnit.Seconds)]
    public int RestoreTimeoutSeconds { get; set; } = 120;

    /// <summary>Longest share of an interval checkpoint, or of re-warming a restored shard, done in one loop iteration, in milliseconds (the rest follows in the next iterations).</summary>
    [Duration(DurationUnit.Milliseconds)]
    public int CheckpointChunkMilliseconds { get; set; } = 20;

    /// <summary>Most series records produced in one loop iteration of an interval checkpoint.</summary>
    public int CheckpointChunkSeries { get; set; } = 20_000;

    /// <summary>Most series-steps (one series through one LSTM step) of re-warming a restored shard in one loop iteration; 0: no cap, only <see cref="CheckpointChunkMilliseconds"/> bounds the share.</summary>
    public int RestoreChunkSeriesSteps { get; set; }

    /// <summary>Least time between two shares of an interval checkpoint, in milliseconds (0: every loop iteration); raising it thins out the checkpoint's CPU use but keeps the shard paused longer.</summary>
    [Duration(DurationUnit.Milliseconds)]
    public int CheckpointChunkIntervalMs { get; set; }

    /// <summary>Threads that restore on assign: state partitions read at once, and threads decoding one partition's records (0: one per core; 1: one partition after the other, decoded on one thread).</summary>
    public int RestoreThreads { get; set; }

    /// <summary><see cref="RestoreThreads"/> resolved: at least 1.</summary>
    public int RestoreParallelism => RestoreThreads > 0 ? RestoreThreads : Environment.ProcessorCount;

    /// <summary>Longest wall-clock time a point held by its series (learning its step, or in an open bucket) holds the partition's committed offset back; then it is detached: it stays in the series' state, which the checkpoint saves. 0: never.</summary>
    [Duration(DurationUnit.Seconds)]
    public int HeldPointMaxSeconds { get; set; } = 60;

    /// <summary>The same in stream time: a held point older than the newest point of its shard by this many seconds is detached. 0: never.</summary>
    [Duration(DurationUnit.Seconds)]
    public int HeldPointMaxStreamSeconds { get; set; } = 3_600;

    /// <summary>Most input offsets a shard tracks at once; past it the oldest held points are detached (the tracker's memory stays bounded).</summary>
    public int MaxOutstandingOffsets { get; set; } = 1_000_000;

    /// <summary>
    /// Create missing topics at start where the broker allows: the state topic compacted with as many partitions as
    /// the widest input topic, the forecast and dead-letter topics with that count and the broker's defaults. Off:
    /// a missing topic stops start-up with one line and exit code 2.
    /// </summary>
    public bool CreateTopics { get; set; }

    /// <summary>Check the topics at start (see <c>TopicCheck</c>); off only where the cluster cannot answer (a mock that creates topics on first use, ACLs without Describe).</summary>
    public bool CheckTopics { get; set; } = true;

    public bool Enabled => CheckpointIntervalSeconds > 0;
}
