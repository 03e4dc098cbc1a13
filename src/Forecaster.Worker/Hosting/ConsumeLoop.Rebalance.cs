using Confluent.Kafka;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>Rebalance and error handlers of the loop; librdkafka calls them inside Consume, on the loop's thread.</summary>
internal sealed partial class ConsumeLoop
{
    /// <summary>Assigned: a shard per partition, restored from the state topic; input starts at the saved offset (else the committed one).</summary>
    private List<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        var start = new List<TopicPartitionOffset>(partitions.Count);
        var reads = ReadStates(partitions);
        for (var i = 0; i < partitions.Count; i++)
        {
            var tp = partitions[i];
            var shard = new Shard(tp.Partition.Value, _series, _settings, _publisher!);
            start.Add(new TopicPartitionOffset(tp, RestoreShard(tp, shard, reads?[i])));
            _shards[(tp.Topic, tp.Partition.Value)] = shard;
        }

        _metrics.Rebalances.WithLabels("assigned").Inc();
        AssignmentChanged();
        WorkerLog.Assigned(_logger, string.Join(", ", partitions));
        return start;
    }

    /// <summary>Revoked: step what is pending, wait for its deliveries, store the offsets, drop the shards.</summary>
    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        if (_fatal is null)
        {
            foreach (var tp in partitions)
            {
                if (_shards.TryGetValue((tp.Topic, tp.Partition.Value), out var shard))
                {
                    shard.Flush();
                }
            }

            _publisher!.Flush(TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
            Settle();
            if (ExactlyOnce)
            {
                Persist([]);
            }
            else
            {
                CheckpointRevoked(partitions);
            }
        }

        _metrics.Rebalances.WithLabels("revoked").Inc();
        Drop(partitions);
        WorkerLog.Revoked(_logger, string.Join(", ", partitions));
    }

    /// <summary>Lost: another member may own them already; drop without storing anything.</summary>
    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        _metrics.Rebalances.WithLabels("lost").Inc();
        AbortOnLost();
        Drop(partitions);
        WorkerLog.Lost(_logger, string.Join(", ", partitions));
    }

    private void Drop(List<TopicPartitionOffset> partitions)
    {
        foreach (var tp in partitions)
        {
            if (_shards.Remove((tp.Topic, tp.Partition.Value), out var shard))
            {
                _heldPoints?.Forget(shard);
            }

            var label = tp.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _metrics.ConsumerLag.RemoveLabelled(label);
            _metrics.CommittedLag.RemoveLabelled(label);
            _metrics.OffsetsOutstanding.RemoveLabelled(label);
            _metrics.HeldOffsetAge.RemoveLabelled(label);
        }

        AbandonTraining();
        ForgetCheckpoints(partitions);
        AssignmentChanged();
    }

    private void AssignmentChanged()
    {
        _health.SetAssigned(_shards.Count);
        _metrics.PartitionsAssigned.Set(_shards.Count);
    }

    private void OnError(Error error)
    {
        _metrics.KafkaErrors.WithLabels(error.IsFatal ? "true" : "false").Inc();
        if (error.IsFatal)
        {
            WorkerLog.KafkaFatal(_logger, error.Code.ToString(), error.Reason);
            _fatal ??= error;
        }
        else
        {
            WorkerLog.KafkaError(_logger, error.Code.ToString(), error.Reason);
        }
    }

    private void OnLog(LogMessage message)
    {
        var level = message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        WorkerLog.Librdkafka(_logger, level, message.Facility, message.Message);
    }
}
