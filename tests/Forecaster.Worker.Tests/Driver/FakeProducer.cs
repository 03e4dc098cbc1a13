using Confluent.Kafka;
using Forecaster.Worker.Hosting.Clients;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// The producer of the test driver. Records go to the <see cref="FakeCluster"/> at once; their delivery
/// reports are held until <see cref="Deliver"/> (the driver calls it at every poll, as librdkafka's thread
/// would deliver between polls) or a flush. Scripted faults: a delivery that fails, a commit that fails.
/// </summary>
internal sealed class FakeProducer(FakeCluster cluster) : IKafkaProducer
{
    private readonly Queue<(Action<DeliveryReport<byte[], byte[]>> Handler, DeliveryReport<byte[], byte[]> Report)> _reports = new();
    private readonly List<(Func<string, bool> Matches, Error Error)> _deliveryFaults = [];
    private readonly List<(TopicPartitionOffset Offset, IConsumerGroupMetadata Group)> _pendingOffsets = [];
    private FakeTransaction? _transaction;
    private Error? _commitFault;

    public int Produced { get; private set; }

    public int Committed { get; private set; }

    public int Aborted { get; private set; }

    public bool InTransaction => _transaction is not null;

    /// <summary>The next record produced to a topic <paramref name="matches"/> accepts is reported failed with <paramref name="error"/>.</summary>
    public void FailNextDelivery(Func<string, bool> matches, Error error) => _deliveryFaults.Add((matches, error));

    /// <summary>The next transaction commit throws as a broker refusing it would (the transaction must be aborted).</summary>
    public void FailNextCommit(Error error) => _commitFault = error;

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) =>
        Produce(new TopicPartition(topic, new Partition(PartitionOf(message.Key))), message, onDelivery);

    public void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        Produced++;
        var fault = _deliveryFaults.FindIndex(f => f.Matches(partition.Topic));
        var error = new Error(ErrorCode.NoError);
        if (fault >= 0)
        {
            error = _deliveryFaults[fault].Error;
            _deliveryFaults.RemoveAt(fault);
        }

        // librdkafka copies key and value during Produce (RD_KAFKA_MSG_F_COPY), so the caller may reuse its arrays at once.
        var copy = new Message<byte[], byte[]> { Key = message.Key?.ToArray()!, Value = message.Value?.ToArray()!, Headers = message.Headers };
        var offset = error.IsError ? Offset.Unset : new Offset(cluster.Append(partition, copy, _transaction));
        _reports.Enqueue((onDelivery, new DeliveryReport<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(partition, offset),
            Message = message,
            Error = error,
            Status = error.IsError ? PersistenceStatus.NotPersisted : PersistenceStatus.Persisted,
        }));
    }

    /// <summary>Hands every held delivery report to its handler.</summary>
    public void Deliver()
    {
        while (_reports.TryDequeue(out var pending))
        {
            pending.Handler(pending.Report);
        }
    }

    public int Flush(TimeSpan timeout)
    {
        Deliver();
        return 0;
    }

    public void InitTransactions(TimeSpan timeout)
    {
    }

    public void BeginTransaction() => _transaction = new FakeTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout) =>
        _pendingOffsets.AddRange(offsets.Select(o => (o, group)));

    public void CommitTransaction(TimeSpan timeout)
    {
        Deliver();
        if (_commitFault is { } fault)
        {
            _commitFault = null;
            throw new KafkaTxnRequiresAbortException(fault);
        }

        _transaction!.Committed = true;
        foreach (var (offset, _) in _pendingOffsets)
        {
            cluster.Commit(offset);
        }

        _pendingOffsets.Clear();
        _transaction = null;
        Committed++;
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        Deliver();
        if (_transaction is not null)
        {
            _transaction.Aborted = true;
        }

        _pendingOffsets.Clear();
        _transaction = null;
        Aborted++;
    }

    public void Dispose()
    {
    }

    /// <summary>Keyed records spread over 4 partitions by key (any stable choice will do here).</summary>
    private static int PartitionOf(byte[]? key)
    {
        var hash = 17;
        foreach (var b in key ?? [])
        {
            hash = unchecked((hash * 31) + b);
        }

        return (hash & int.MaxValue) % 4;
    }
}
