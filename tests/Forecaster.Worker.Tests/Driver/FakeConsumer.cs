using Confluent.Kafka;
using Forecaster.Worker.Hosting.Clients;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// The consumer of the test driver. Each <see cref="Consume"/> first hands the producer's delivery reports
/// over, then returns the next record of an assigned, unpaused partition; when there is none it runs the
/// next step of the driver's script (an assignment, a revoke, a loss, new input, a check), which may call the
/// loop's rebalance handlers exactly where librdkafka would: inside Consume, on the loop's thread.
/// </summary>
internal sealed class FakeConsumer(FakeCluster cluster, FakeProducer producer, ClientHandlers handlers, string groupId, Action nextStep) : IKafkaConsumer
{
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private int _next;
    private int _seekFaults;

    public IConsumerGroupMetadata ConsumerGroupMetadata { get; } = new GroupMetadata();

    public IReadOnlyCollection<TopicPartition> Assignment => _positions.Keys;

    public IReadOnlySet<TopicPartition> Paused => _paused;

    /// <summary>Every seek, in order.</summary>
    public List<TopicPartitionOffset> Seeks { get; } = [];

    /// <summary>The offsets stored for auto-commit, by partition (the fake commits them at once).</summary>
    public Dictionary<TopicPartition, long> Stored { get; } = [];

    public long Polls { get; private set; }

    public string GroupId => groupId;

    public long Position(TopicPartition partition) => _positions[partition];

    public void Subscribe(IEnumerable<string> topics)
    {
    }

    public ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout)
    {
        Polls++;
        producer.Deliver();
        if (NextRecord() is { } ready)
        {
            return Take(ready);
        }

        if (timeout > TimeSpan.Zero)
        {
            nextStep(); // A poll that may wait is where the script moves on (a zero-timeout poll only drains what is there).
        }

        return null;
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
        if (!_positions.ContainsKey(offset.TopicPartition))
        {
            throw new KafkaException(ErrorCode.Local_State);
        }

        Stored[offset.TopicPartition] = offset.Offset.Value;
        cluster.Commit(offset);
    }

    public void Pause(IEnumerable<TopicPartition> partitions) => _paused.UnionWith(partitions.Where(_positions.ContainsKey));

    public void Resume(IEnumerable<TopicPartition> partitions) => _paused.ExceptWith(partitions);

    /// <summary>The next <paramref name="count"/> seeks fail as librdkafka's do on a partition whose fetch has not started.</summary>
    public void FailNextSeeks(int count) => _seekFaults = count;

    public void Seek(TopicPartitionOffset offset)
    {
        if (_seekFaults > 0)
        {
            _seekFaults--;
            throw new KafkaException(ErrorCode.Local_State);
        }

        Seeks.Add(offset);
        _positions[offset.TopicPartition] = offset.Offset == Offset.Beginning ? 0 : offset.Offset.Value;
    }

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) =>
        [.. partitions.Select(p => new TopicPartitionOffset(p, cluster.Committed(p)))];

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition) => new(0, cluster.EndOffset(partition));

    /// <summary>As librdkafka does, leaving the group revokes what is still assigned.</summary>
    public void Close()
    {
        if (_positions.Count > 0)
        {
            Revoke([.. _positions.Keys]);
        }
    }

    public void Dispose()
    {
    }

    /// <summary>Assigns <paramref name="partitions"/> through the loop's handler; each starts where it says, else at the committed offset, else at the beginning.</summary>
    public void Assign(List<TopicPartition> partitions)
    {
        foreach (var start in handlers.Assigned(partitions))
        {
            var committed = cluster.Committed(start.TopicPartition);
            _positions[start.TopicPartition] = start.Offset.Value >= 0 ? start.Offset.Value : committed.Value >= 0 ? committed.Value : 0;
        }
    }

    public void Revoke(List<TopicPartition> partitions)
    {
        handlers.Revoked([.. partitions.Select(p => new TopicPartitionOffset(p, _positions.GetValueOrDefault(p)))]);
        Forget(partitions);
    }

    public void Lose(List<TopicPartition> partitions)
    {
        handlers.Lost([.. partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset))]);
        Forget(partitions);
    }

    private void Forget(List<TopicPartition> partitions)
    {
        foreach (var p in partitions)
        {
            _positions.Remove(p);
            _paused.Remove(p);
        }
    }

    /// <summary>The next unread record, visiting the partitions in turn; null when every one is read to its end or paused.</summary>
    private (TopicPartition Partition, FakeRecord Record)? NextRecord()
    {
        var partitions = _positions.Keys.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value).ToList();
        for (var i = 0; i < partitions.Count; i++)
        {
            var p = partitions[(_next + i) % partitions.Count];
            if (_paused.Contains(p))
            {
                continue;
            }

            var log = cluster.Read(p);
            var record = log.FirstOrDefault(r => r.Offset >= _positions[p]);
            if (record is not null)
            {
                _next = (_next + i + 1) % partitions.Count;
                return (p, record);
            }
        }

        return null;
    }

    private ConsumeResult<byte[], byte[]> Take((TopicPartition Partition, FakeRecord Record) next)
    {
        _positions[next.Partition] = next.Record.Offset + 1;
        return new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(next.Partition, next.Record.Offset),
            Message = new Message<byte[], byte[]> { Key = next.Record.Key!, Value = next.Record.Value!, Headers = next.Record.Headers },
        };
    }

    private sealed class GroupMetadata : IConsumerGroupMetadata
    {
    }
}
