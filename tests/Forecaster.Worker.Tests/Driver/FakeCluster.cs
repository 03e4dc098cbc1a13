using Confluent.Kafka;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// The broker of the test driver: topic partitions as in-memory logs, the group's committed offsets, and the
/// transactional state of each record (a read_committed reader sees a transaction's records only once it
/// commits, never when it aborts). Locked: state reads run on pool threads.
/// </summary>
internal sealed class FakeCluster
{
    private readonly object _gate = new();
    private readonly Dictionary<TopicPartition, List<FakeRecord>> _logs = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];

    /// <summary>Appends a record; returns its offset.</summary>
    public long Append(TopicPartition partition, Message<byte[], byte[]> message, FakeTransaction? transaction = null)
    {
        lock (_gate)
        {
            var log = Log(partition);
            log.Add(new FakeRecord(log.Count, message.Key, message.Value, message.Headers, transaction));
            return log.Count - 1;
        }
    }

    /// <summary>The records of <paramref name="partition"/>; committed ones only when <paramref name="readCommitted"/>.</summary>
    public List<FakeRecord> Read(TopicPartition partition, bool readCommitted = true)
    {
        lock (_gate)
        {
            return [.. Log(partition).Where(r => !readCommitted || r.Transaction is null || r.Transaction.Committed)];
        }
    }

    /// <summary>Every record of <paramref name="topic"/>, all partitions, committed ones only.</summary>
    public List<FakeRecord> ReadTopic(string topic)
    {
        lock (_gate)
        {
            return [.. _logs.Where(l => l.Key.Topic == topic).OrderBy(l => l.Key.Partition.Value).SelectMany(l => l.Value).Where(r => r.Transaction is null || r.Transaction.Committed)];
        }
    }

    public long EndOffset(TopicPartition partition)
    {
        lock (_gate)
        {
            return Log(partition).Count;
        }
    }

    public void Commit(TopicPartitionOffset offset)
    {
        lock (_gate)
        {
            _committed[offset.TopicPartition] = offset.Offset.Value;
        }
    }

    public Offset Committed(TopicPartition partition)
    {
        lock (_gate)
        {
            return _committed.TryGetValue(partition, out var offset) ? new Offset(offset) : Offset.Unset;
        }
    }

    private List<FakeRecord> Log(TopicPartition partition)
    {
        if (!_logs.TryGetValue(partition, out var log))
        {
            _logs[partition] = log = [];
        }

        return log;
    }
}

/// <summary>One record of a fake log.</summary>
internal sealed record FakeRecord(long Offset, byte[]? Key, byte[]? Value, Headers? Headers, FakeTransaction? Transaction);

/// <summary>A transaction of the fake producer: its records count once it commits.</summary>
internal sealed class FakeTransaction
{
    public bool Committed { get; set; }

    public bool Aborted { get; set; }
}
