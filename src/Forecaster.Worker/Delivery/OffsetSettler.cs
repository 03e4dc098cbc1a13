using Confluent.Kafka;
using Forecaster.Worker.Hosting;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// Applies the delivery reports queued since the last call (<see cref="Publish.RecordCollector.Drain"/>: a
/// forecast's releases its input offset in the shard's tracker, a state record's counts in its checkpoint) and advances every shard's completed offset, storing it on the consumer when the
/// commit protocol says offsets follow completed work.
/// </summary>
internal sealed class OffsetSettler(LoopServices loop)
{
    /// <summary>Settles; returns the first delivery failure among the reports, if any (the protocol decides what it means).</summary>
    public Error? Settle(bool storeOffsets)
    {
        loop.Collector.Drain();
        var failure = loop.Collector.TakeFailure();
        foreach (var owned in loop.Shards.All)
        {
            if (owned.Shard.Offsets.TryAdvance(out var next) && storeOffsets)
            {
                try
                {
                    loop.Consumer.StoreOffset(new TopicPartitionOffset(owned.Topic, owned.Partition, next));
                }
                catch (KafkaException e)
                {
                    loop.Failure.OnError(e.Error);
                }
            }
        }

        return failure;
    }
}
