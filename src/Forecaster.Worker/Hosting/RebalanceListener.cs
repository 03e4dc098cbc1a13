using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Delivery;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>The consumer's rebalance events; librdkafka calls them inside Consume, on the loop's thread.</summary>
internal sealed class RebalanceListener(LoopServices loop, StateManager state, ICommitProtocol protocol)
{
    /// <summary>Assigned: a shard per partition, restored from the state topic; input starts at the saved offset (else the committed one).</summary>
    public List<TopicPartitionOffset> Assigned(List<TopicPartition> partitions)
    {
        var start = new List<TopicPartitionOffset>(partitions.Count);
        var reads = state.Read(partitions);
        for (var i = 0; i < partitions.Count; i++)
        {
            var tp = partitions[i];
            var owned = loop.Shards.Create(tp.Topic, tp.Partition.Value);
            start.Add(new TopicPartitionOffset(tp, state.Apply(owned, reads?[i])));
            loop.Shards.Add(owned);
        }

        loop.Metrics.Rebalances.WithLabels("assigned").Inc();
        loop.Shards.AssignmentChanged();
        WorkerLog.Assigned(loop.Logger, string.Join(", ", partitions));
        return start;
    }

    /// <summary>Revoked: step what is pending, wait for its deliveries, checkpoint or commit, drop the shards.</summary>
    public void Revoked(List<TopicPartitionOffset> partitions)
    {
        if (!loop.Failure.Failed)
        {
            var revoked = new List<OwnedShard>();
            foreach (var tp in partitions)
            {
                if (loop.Shards.TryGet(tp.Topic, tp.Partition.Value, out var owned))
                {
                    owned.Shard.Flush();
                    revoked.Add(owned);
                }
            }

            loop.Publisher.Flush(loop.FlushTimeout);
            protocol.Settle();
            protocol.Revoked(revoked);
        }

        loop.Metrics.Rebalances.WithLabels("revoked").Inc();
        Drop(partitions);
        WorkerLog.Revoked(loop.Logger, string.Join(", ", partitions));
    }

    /// <summary>Lost: another member may own them already; drop without storing anything.</summary>
    public void Lost(List<TopicPartitionOffset> partitions)
    {
        loop.Metrics.Rebalances.WithLabels("lost").Inc();
        protocol.Lost();
        Drop(partitions);
        WorkerLog.Lost(loop.Logger, string.Join(", ", partitions));
    }

    private void Drop(List<TopicPartitionOffset> partitions)
    {
        foreach (var tp in partitions)
        {
            if (loop.Shards.TryGet(tp.Topic, tp.Partition.Value, out var owned))
            {
                protocol.Dropped(owned);
            }

            loop.Shards.Remove(tp.Topic, tp.Partition.Value);
        }

        loop.Shards.AssignmentChanged();
    }
}
