using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Freezes a shard for its spread checkpoint and thaws it after: its input partition paused (so its state
/// cannot move under the snapshot) and its phase <see cref="ShardPhase.Frozen"/> (no model swap), or resumed
/// and <see cref="ShardPhase.Active"/> again. Consume thread only.
/// </summary>
internal static class ShardFreeze
{
    public static void Set(LoopServices loop, ShardCheckpoint shard, bool frozen)
    {
        if (loop.Shards.TryGet(shard.Topic, shard.Shard.Partition, out var owned) && ReferenceEquals(owned.Checkpoint, shard))
        {
            owned.Phase = frozen ? ShardPhase.Frozen : ShardPhase.Active;
        }

        var partitions = new[] { new TopicPartition(shard.Topic, shard.Shard.Partition) };
        try
        {
            if (frozen)
            {
                loop.Consumer.Pause(partitions);
            }
            else
            {
                loop.Consumer.Resume(partitions);
            }
        }
        catch (KafkaException e)
        {
            // A pause that did not take is caught by the job (the shard moves, the job fails); a partition
            // that cannot be resumed is no longer assigned.
            loop.Failure.OnError(e.Error);
        }
    }
}
