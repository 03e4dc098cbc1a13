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

    /// <summary>The trainer of the shard's group 0 (the first of <see cref="Trainers"/>), null before the first poll.</summary>
    public ShardTrainer? Trainer => Trainers.Count > 0 ? Trainers[0] : null;

    /// <summary>One trainer per model group of the shard, in group order, each made on the first poll after its group.</summary>
    public List<ShardTrainer> Trainers { get; } = [];

    /// <summary>Abandons every trainer (revoke, loss, shutdown) and forgets them.</summary>
    public void AbandonTraining()
    {
        foreach (var trainer in Trainers)
        {
            trainer.Abandon();
        }

        Trainers.Clear();
    }

    /// <summary>The first input offset delivered while restoring (and skipped: the restore says where input resumes), -1 when none.</summary>
    public long FirstSkipped { get; set; } = -1;
}
