using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// The input consumer with its polls on a thread of their own (<c>Kafka:FetchAhead</c>): while the loop routes and steps
/// one batch, <see cref="FetchQueue"/>'s thread consumes the next ones (at most <see cref="FetchQueue.Depth"/> waiting),
/// so librdkafka's per-record cost and the worker's overlap instead of adding up. The loop takes batches with
/// <see cref="Collect"/>.
/// <list type="bullet">
/// <item>A pause, resume or seek first lets the fetch thread finish the batch it is filling and keeps it from starting
/// another until <see cref="Release"/>; <see cref="UnroutedRecords"/> then makes the call mean, over the batches fetched
/// and not routed yet, what it would mean had they not been fetched.</item>
/// <item>Rebalance handlers, which librdkafka runs inside a poll, are handed to the loop's thread
/// (<see cref="RebalanceHandoff"/>). So the loop's state is still touched by one thread at a time.</item>
/// <item>Storing offsets and reading watermarks or committed offsets go straight to librdkafka, whose calls are
/// thread-safe.</item>
/// </list>
/// </summary>
internal sealed class FetchAhead : IKafkaConsumer
{
    private readonly IKafkaConsumer _inner;
    private readonly UnroutedRecords _unrouted = new();
    private readonly FetchQueue _queue;

    /// <summary>Builds the inner consumer with <paramref name="loop"/>'s rebalance handlers handed to the loop's thread; the fetch thread starts at the first <see cref="Collect"/>.</summary>
    public FetchAhead(Func<ClientHandlers, IKafkaConsumer> create, ClientHandlers loop, int maxBatch)
    {
        _queue = new FetchQueue(timeout => _inner!.Consume(timeout), maxBatch, _unrouted);
        var handoff = _queue.Handoff;
        _inner = create(loop with
        {
            Assigned = p => handoff.Run(() => loop.Assigned(p)),
            Revoked = p => handoff.Run(() => Dropping(p, loop.Revoked)),
            Lost = p => handoff.Run(() => Dropping(p, loop.Lost)),
        });
    }

    /// <summary>Records held while their partition is paused.</summary>
    public int HeldCount => _unrouted.HeldCount;

    public IConsumerGroupMetadata ConsumerGroupMetadata => _inner.ConsumerGroupMetadata;

    /// <inheritdoc cref="FetchQueue.Collect"/>
    public List<ConsumeResult<byte[], byte[]>> Collect(TimeSpan timeout, out ConsumeException? error) => _queue.Collect(timeout, out error);

    /// <summary>Lets the fetch thread go on after a pause, resume or seek held it at a batch's end.</summary>
    public void Release() => _queue.Release();

    /// <inheritdoc cref="FetchQueue.Finish"/>
    public void Finish() => _queue.Finish();

    public void Subscribe(IEnumerable<string> topics) => _inner.Subscribe(topics);

    /// <summary>Not for the loop: it collects batches (<see cref="Collect"/>).</summary>
    public ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout) => throw new InvalidOperationException("A fetch-ahead consumer is read through Collect.");

    public void StoreOffset(TopicPartitionOffset offset) => _inner.StoreOffset(offset);

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        _queue.Hold();
        _inner.Pause(list);
        lock (_queue.Gate)
        {
            _unrouted.Paused(list, _queue.Unrouted());
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        _queue.Hold();
        _inner.Resume(list);
        lock (_queue.Gate)
        {
            var unrouted = _queue.Unrouted();
            _unrouted.Resumed(list, unrouted.Count > 0 ? unrouted[0] : null);
        }
    }

    public void Seek(TopicPartitionOffset offset)
    {
        _queue.Hold();
        _inner.Seek(offset);
        lock (_queue.Gate)
        {
            _unrouted.Sought(offset.TopicPartition, _queue.Unrouted());
        }
    }

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => _inner.Committed(partitions, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition) => _inner.GetWatermarkOffsets(partition);

    /// <summary>Stops the fetch thread (see <see cref="Finish"/>) and leaves the group on the caller's thread, which runs the revoke handler.</summary>
    public void Close()
    {
        _queue.Stop();
        _inner.Close();
    }

    public void Dispose()
    {
        _queue.Stop();
        _inner.Dispose();
    }

    /// <summary>A revoke or loss: the loop's handler, then what was fetched of those partitions is dropped.</summary>
    private int Dropping(List<TopicPartitionOffset> partitions, Action<List<TopicPartitionOffset>> handler)
    {
        handler(partitions);
        lock (_queue.Gate)
        {
            _unrouted.Dropped([.. partitions.Select(p => p.TopicPartition)], _queue.Unrouted());
        }

        return 0;
    }
}
