using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// Keeps the loop's pauses, resumes and seeks meaning what they mean without fetching ahead, over the batches that
/// <see cref="FetchAhead"/> has consumed but the loop has not routed yet (given to each call, in routing order).
/// librdkafka returns nothing of a partition once it is paused and resumes it after the last record it returned, so a
/// record fetched ahead of a pause is set aside (held) and put back in front of the next batch when the partition is
/// resumed; a seek re-reads from its offset, so what was fetched before it is dropped, held or not. A revoked or lost
/// partition's records are dropped too: its offsets were never stored, and its next owner reads them from the
/// committed position. Called by the loop's thread while the fetch thread waits.
/// </summary>
internal sealed class UnroutedRecords
{
    private readonly Dictionary<TopicPartition, List<ConsumeResult<byte[], byte[]>>> _held = [];
    private readonly HashSet<TopicPartition> _paused = [];

    /// <summary>Records set aside while their partition is paused.</summary>
    public int HeldCount => _held.Values.Sum(h => h.Count);

    /// <summary>The partitions were paused: their records in <paramref name="unrouted"/> are held until they are resumed.</summary>
    public void Paused(IEnumerable<TopicPartition> partitions, IEnumerable<List<ConsumeResult<byte[], byte[]>>> unrouted)
    {
        _paused.UnionWith(partitions);
        foreach (var batch in unrouted)
        {
            HoldPaused(batch);
        }
    }

    /// <summary>
    /// Holds the records of paused partitions found in <paramref name="batch"/> (called on each batch the loop takes, so a
    /// record librdkafka still returned after a pause is held as well).
    /// </summary>
    public void HoldPaused(List<ConsumeResult<byte[], byte[]>> batch)
    {
        if (_paused.Count == 0 || !AnyPaused(batch))
        {
            return;
        }

        foreach (var record in batch)
        {
            if (IsPaused(record))
            {
                var tp = record.TopicPartition;
                if (!_held.TryGetValue(tp, out var held))
                {
                    _held[tp] = held = [];
                }

                held.Add(record);
            }
        }

        batch.RemoveAll(IsPaused);
    }

    /// <summary>
    /// The partitions were resumed: what was held of them goes in front of <paramref name="next"/> (the next batch routed),
    /// in the order consumed; null once nothing is routed any more (the fetch finished), and what was held is dropped with
    /// the rest of what was fetched ahead.
    /// </summary>
    public void Resumed(IEnumerable<TopicPartition> partitions, List<ConsumeResult<byte[], byte[]>>? next)
    {
        var back = new List<ConsumeResult<byte[], byte[]>>();
        foreach (var tp in partitions)
        {
            _paused.Remove(tp);
            if (_held.Remove(tp, out var held))
            {
                back.AddRange(held);
            }
        }

        if (back.Count > 0)
        {
            next?.InsertRange(0, back);
        }
    }

    /// <summary>The partition was sought: everything fetched of it before is dropped (librdkafka reads again from the offset sought).</summary>
    public void Sought(TopicPartition partition, IEnumerable<List<ConsumeResult<byte[], byte[]>>> unrouted)
    {
        _held.Remove(partition);
        foreach (var batch in unrouted)
        {
            batch.RemoveAll(r => Is(r, partition));
        }
    }

    /// <summary>The partitions are no longer ours: their records are dropped and they are no longer paused.</summary>
    public void Dropped(IEnumerable<TopicPartition> partitions, IReadOnlyList<List<ConsumeResult<byte[], byte[]>>> unrouted)
    {
        foreach (var tp in partitions)
        {
            _paused.Remove(tp);
            Sought(tp, unrouted);
        }
    }

    private static bool Is(ConsumeResult<byte[], byte[]> record, TopicPartition tp) => record.Partition == tp.Partition && record.Topic == tp.Topic;

    private bool AnyPaused(List<ConsumeResult<byte[], byte[]>> batch)
    {
        foreach (var record in batch)
        {
            if (IsPaused(record))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the record's partition is paused, without building its <see cref="TopicPartition"/> (checked on every record of a batch while one is).</summary>
    private bool IsPaused(ConsumeResult<byte[], byte[]> record)
    {
        foreach (var tp in _paused)
        {
            if (Is(record, tp))
            {
                return true;
            }
        }

        return false;
    }
}
