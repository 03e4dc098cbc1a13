using Confluent.Kafka;
using Forecaster.Worker.Hosting;

namespace Forecaster.Worker.Checkpoints;

/// <summary>Stores a checkpointed shard's input offset on the consumer, for auto-commit.</summary>
internal static class CheckpointOffsets
{
    /// <summary>
    /// Stores the oldest input still held by a timeline, at most the checkpointed offset, when that moves
    /// the stored offset forward: an offset is committed only once the state that absorbed it is saved.
    /// </summary>
    public static void Store(LoopServices loop, ShardCheckpoint shard)
    {
        if (shard.CheckpointedOffset < 0)
        {
            return;
        }

        var oldest = shard.Shard.Offsets.OldestOutstanding;
        var target = oldest >= 0 ? Math.Min(oldest, shard.CheckpointedOffset) : shard.CheckpointedOffset;
        if (target <= shard.StoredOffset)
        {
            return;
        }

        try
        {
            loop.Consumer.StoreOffset(new TopicPartitionOffset(shard.Topic, shard.Shard.Partition, target));
            shard.StoredOffset = target;
        }
        catch (KafkaException e)
        {
            loop.Failure.OnError(e.Error);
        }
    }
}
