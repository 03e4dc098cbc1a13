using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Processing;

/// <summary>
/// Everything this worker holds for one assigned input partition: its <see cref="Processing.Shard"/>, its
/// checkpoint bookkeeping (when checkpoints are on), its trainer (made on the first poll) and its phase.
/// Kept by the <see cref="ShardManager"/>; consume thread only.
/// </summary>
internal sealed class OwnedShard(string topic, Shard shard, ShardPhase phase = ShardPhase.Active)
{
    public string Topic { get; } = topic;

    public int Partition => Shard.Partition;

    public TopicPartition TopicPartition => new(Topic, Partition);

    public Shard Shard { get; } = shard;

    public ShardPhase Phase { get; set; } = phase;

    /// <summary>Set once the shard is restored, when checkpoints are on.</summary>
    public ShardCheckpoint? Checkpoint { get; set; }

    public ShardTrainer? Trainer { get; set; }

    /// <summary>The first input offset delivered while restoring (and skipped: the restore says where input resumes), -1 when none.</summary>
    public long FirstSkipped { get; set; } = -1;
}
