using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Delivery;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>The consumer's rebalance events; librdkafka calls them inside Consume, and they run on the loop's thread (<see cref="Clients.FetchAhead"/> hands them over from its poll).</summary>
internal sealed class RebalanceListener(LoopServices loop, RestoreDriver restores, ICommitProtocol protocol)
{
    /// <summary>
    /// Assigned: a shard per partition, registered for its restore from the state topic (which the loop
    /// drives, <see cref="RestoreDriver"/>); input starts at the committed offset, and the restore seeks it to
    /// the offset saved with the state.
    /// </summary>
    public List<TopicPartitionOffset> Assigned(List<TopicPartition> partitions)
    {
        var shards = new List<OwnedShard>(partitions.Count);
        foreach (var tp in partitions)
        {
            var owned = loop.Shards.Create(tp.Topic, tp.Partition.Value, ShardPhase.Restoring);
            loop.Shards.Add(owned);
            shards.Add(owned);
        }

        restores.Register(shards);

        loop.Metrics.Rebalances.WithLabels("assigned").Inc();
        loop.Shards.AssignmentChanged();
        WorkerLog.Assigned(loop.Logger, string.Join(", ", partitions));
        return [.. partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Unset))];
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
                restores.Forget(owned);
            }

            loop.Shards.Remove(tp.Topic, tp.Partition.Value);
        }

        loop.Shards.AssignmentChanged();
    }
}
