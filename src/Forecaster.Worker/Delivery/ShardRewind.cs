using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// Exactly-once mode after an abort: every shard that read anything is replaced by one restored from its
/// last committed checkpoint and its input sought back to that checkpoint's offset (the committed group
/// offset, else the beginning, when it has none), as on a fresh assignment. Records handled since the
/// abort are read again.
/// </summary>
internal sealed class ShardRewind(LoopServices loop, StateManager state)
{
    public void Run()
    {
        foreach (var old in loop.Shards.Snapshot())
        {
            if (loop.Failure.Failed)
            {
                return;
            }

            if (old.Shard.Position < 0)
            {
                continue; // Nothing read since it was assigned and restored: it already holds the committed state.
            }

            var tp = old.TopicPartition;
            var owned = loop.Shards.Create(old.Topic, old.Partition);
            loop.Shards.Add(owned);
            var start = state.Apply(owned, state.Read([tp])?[0]);
            try
            {
                if (start == Offset.Unset)
                {
                    var committed = loop.Consumer.Committed([tp], TimeSpan.FromSeconds(loop.State.RestoreTimeoutSeconds)).Single().Offset;
                    start = committed.Value >= 0 ? committed : Offset.Beginning;
                }

                loop.Consumer.Seek(new TopicPartitionOffset(tp, start));
                TransactionLog.Rewound(loop.Logger, old.Topic, old.Partition, start.Value);
            }
            catch (KafkaException e)
            {
                loop.Failure.OnError(new Error(e.Error.Code, $"Rewinding {tp} failed: {e.Error.Reason}", isFatal: true));
            }
        }
    }
}
