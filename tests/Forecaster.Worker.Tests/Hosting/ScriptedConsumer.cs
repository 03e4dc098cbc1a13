using Confluent.Kafka;
using Forecaster.Worker.Hosting.Clients;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>
/// A thread-safe consumer for <see cref="FetchAheadTests"/>, behaving as librdkafka does where the fetch thread relies on
/// it: the partitions take turns; a paused partition returns nothing and, resumed, goes on after the last record it
/// returned; a seek sets where it goes on. It hands out only as many records as the test allows, and can run a revoke
/// handler inside a poll once a given number of records is out, as librdkafka runs rebalance handlers.
/// </summary>
internal sealed class ScriptedConsumer(ClientHandlers handlers, string topic, int partitions, int perPartition) : IKafkaConsumer
{
    private readonly object _gate = new();
    private readonly long[] _next = new long[partitions];
    private readonly bool[] _paused = new bool[partitions];
    private readonly bool[] _gone = new bool[partitions];
    private int _allowed;
    private int _handed;
    private int _turn;
    private (int After, int Partition)? _revoke;
    private (int After, ConsumeException Error)? _fault;

    public IConsumerGroupMetadata ConsumerGroupMetadata => throw new NotSupportedException();

    public static TopicPartition Tp(string topic, int partition) => new(topic, partition);

    /// <summary>Lets <paramref name="count"/> more records out.</summary>
    public void Allow(int count)
    {
        lock (_gate)
        {
            _allowed += count;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks until <paramref name="count"/> records are out (a wait on the consumer's own monitor, not a sleep).</summary>
    public void WaitHanded(int count)
    {
        lock (_gate)
        {
            while (_handed < count)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>Once <paramref name="after"/> records are out, the next poll revokes <paramref name="partition"/> through the handler.</summary>
    public void RevokeAfter(int after, int partition) => _revoke = (after, partition);

    /// <summary>Once <paramref name="after"/> records are out, the next poll throws <paramref name="error"/>.</summary>
    public void FailAfter(int after, ConsumeException error) => _fault = (after, error);

    public void Subscribe(IEnumerable<string> topics)
    {
    }

    public ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout)
    {
        int? revoke = null;
        lock (_gate)
        {
            if (_fault is { } fault && _handed >= fault.After)
            {
                _fault = null;
                throw fault.Error;
            }

            if (_revoke is { } due && _handed >= due.After)
            {
                (_revoke, revoke, _gone[due.Partition]) = (null, due.Partition, true);
            }
            else if (Next() is { } ready)
            {
                return ready;
            }
            else if (timeout > TimeSpan.Zero)
            {
                Monitor.Wait(_gate, timeout);
                return Next();
            }
            else
            {
                return null;
            }
        }

        handlers.Revoked([new TopicPartitionOffset(Tp(topic, revoke.Value), Offset.Unset)]); // inside the poll, outside the lock
        return null;
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
    }

    public void Pause(IEnumerable<TopicPartition> tps) => Set(tps, paused: true);

    public void Resume(IEnumerable<TopicPartition> tps) => Set(tps, paused: false);

    public void Seek(TopicPartitionOffset offset)
    {
        lock (_gate)
        {
            _next[offset.Partition.Value] = offset.Offset.Value;
        }
    }

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => [];

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition) => new(0, perPartition);

    public void Close() => handlers.Revoked([.. Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(Tp(topic, p), Offset.Unset))]);

    public void Dispose()
    {
    }

    private void Set(IEnumerable<TopicPartition> tps, bool paused)
    {
        lock (_gate)
        {
            foreach (var tp in tps)
            {
                _paused[tp.Partition.Value] = paused;
            }

            Monitor.PulseAll(_gate);
        }
    }

    private ConsumeResult<byte[], byte[]>? Next()
    {
        if (_allowed <= _handed)
        {
            return null;
        }

        for (var i = 0; i < partitions; i++)
        {
            var p = (_turn + i) % partitions;
            if (!_paused[p] && !_gone[p] && _next[p] < perPartition)
            {
                _turn = p + 1;
                _handed++;
                Monitor.PulseAll(_gate);
                var offset = _next[p]++;
                return new ConsumeResult<byte[], byte[]>
                {
                    TopicPartitionOffset = new TopicPartitionOffset(topic, p, offset),
                    Message = new Message<byte[], byte[]> { Key = [], Value = BitConverter.GetBytes(offset) },
                };
            }
        }

        return null;
    }
}
