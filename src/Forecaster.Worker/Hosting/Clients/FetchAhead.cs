using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// The input consumer with its polls on a thread of their own (<c>Kafka:FetchAhead</c>): while the loop routes and steps
/// one batch, this thread consumes the next ones (at most <see cref="Depth"/> waiting), so librdkafka's per-record cost
/// and the worker's overlap instead of adding up. The loop takes batches with <see cref="Collect"/>.
/// <list type="bullet">
/// <item>A pause, resume or seek first lets the fetch thread finish the batch it is filling and keeps it from starting
/// another until <see cref="Release"/>; <see cref="UnroutedRecords"/> then makes the call mean, over the batches fetched
/// and not routed yet, what it would mean had they not been fetched.</item>
/// <item>Rebalance handlers, which librdkafka runs inside a poll, are handed to the loop's thread: the poll waits until
/// the loop, between two batches, has run them. So the loop's state is still touched by one thread at a time.</item>
/// <item>Storing offsets and reading watermarks or committed offsets go straight to librdkafka, whose calls are
/// thread-safe.</item>
/// </list>
/// </summary>
internal sealed class FetchAhead : IKafkaConsumer
{
    /// <summary>Batches fetched ahead of the one the loop routes.</summary>
    public const int Depth = 2;

    /// <summary>The fetch thread's longest wait in one poll: how long a pause waits at most on an idle input.</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(10);

    private readonly object _gate = new();
    private readonly IKafkaConsumer _inner;
    private readonly int _maxBatch;
    private readonly Thread _thread;
    private readonly UnroutedRecords _unrouted = new();
    private readonly Queue<(List<ConsumeResult<byte[], byte[]>> Records, Exception? Error)> _ready = new();
    private readonly Stack<List<ConsumeResult<byte[], byte[]>>> _free = new();
    private List<ConsumeResult<byte[], byte[]>>? _filling;
    private List<ConsumeResult<byte[], byte[]>>? _taken;
    private bool _started;
    private bool _fetching;
    private bool _held;
    private bool _stopping;
    private bool _handing;
    private Func<object?>? _handoff;
    private (bool Done, object? Result, Exception? Error) _handed;

    /// <summary>Builds the inner consumer with <paramref name="loop"/>'s rebalance handlers handed to the loop's thread; the fetch thread starts at the first <see cref="Collect"/>.</summary>
    public FetchAhead(Func<ClientHandlers, IKafkaConsumer> create, ClientHandlers loop, int maxBatch)
    {
        _maxBatch = maxBatch;
        _inner = create(loop with
        {
            Assigned = p => OnLoop(() => loop.Assigned(p)),
            Revoked = p => OnLoop(() => Dropping(p, loop.Revoked)),
            Lost = p => OnLoop(() => Dropping(p, loop.Lost)),
        });
        _thread = new Thread(Run) { IsBackground = true, Name = "fetch ahead" };
    }

    /// <summary>Records held while their partition is paused.</summary>
    public int HeldCount => _unrouted.HeldCount;

    public IConsumerGroupMetadata ConsumerGroupMetadata => _inner.ConsumerGroupMetadata;

    /// <summary>
    /// The next batch fetched, waiting at most <paramref name="timeout"/> for one (empty when none came) and running the
    /// rebalance handlers handed over meanwhile. The batch before it must be routed by then: its list is reused.
    /// <paramref name="error"/> is the consume error that ended the batch early.
    /// </summary>
    public List<ConsumeResult<byte[], byte[]>> Collect(TimeSpan timeout, out ConsumeException? error)
    {
        if (!_started)
        {
            _thread.Start();
            _started = true;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            if (_taken is not null)
            {
                _free.Push(_taken);
                _taken = null;
            }
        }

        while (true)
        {
            Func<object?> work;
            lock (_gate)
            {
                while (_handoff is null && _ready.Count == 0 && Stopwatch.GetTimestamp() < deadline)
                {
                    Monitor.Wait(_gate, Math.Max(1, (int)Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds));
                }

                if (_handoff is null)
                {
                    var (records, failed) = _ready.Count > 0 ? _ready.Dequeue() : (Spare(), null);
                    Monitor.PulseAll(_gate);
                    if (failed is not null and not ConsumeException)
                    {
                        ExceptionDispatchInfo.Throw(failed);
                    }

                    error = failed as ConsumeException;
                    _unrouted.HoldPaused(records);
                    return _taken = records;
                }

                (work, _handoff, _handing) = (_handoff, null, true);
            }

            Hand(work);
        }
    }

    /// <summary>Lets the fetch thread go on after a pause, resume or seek held it at a batch's end.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_held)
            {
                _held = false;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits for the batch being fetched, running the handlers it hands over, and drops what was fetched ahead: never routed, so its offsets were never stored.</summary>
    public void Finish()
    {
        if (!_started)
        {
            return;
        }

        lock (_gate)
        {
            if (_taken is not null)
            {
                _free.Push(_taken);
                _taken = null;
            }
        }

        while (true)
        {
            Func<object?> work;
            lock (_gate)
            {
                _held = true;
                while (_fetching && _handoff is null)
                {
                    Monitor.Wait(_gate);
                }

                if (_handoff is null)
                {
                    _ready.Clear();
                    return;
                }

                (work, _handoff, _handing) = (_handoff, null, true);
            }

            Hand(work);
        }
    }

    public void Subscribe(IEnumerable<string> topics) => _inner.Subscribe(topics);

    /// <summary>Not for the loop: it collects batches (<see cref="Collect"/>).</summary>
    public ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout) => throw new InvalidOperationException("A fetch-ahead consumer is read through Collect.");

    public void StoreOffset(TopicPartitionOffset offset) => _inner.StoreOffset(offset);

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        HoldFetch();
        _inner.Pause(list);
        lock (_gate)
        {
            _unrouted.Paused(list, Unrouted());
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        HoldFetch();
        _inner.Resume(list);
        lock (_gate)
        {
            var unrouted = Unrouted();
            _unrouted.Resumed(list, unrouted.Count > 0 ? unrouted[0] : Enqueued());
        }
    }

    public void Seek(TopicPartitionOffset offset)
    {
        HoldFetch();
        _inner.Seek(offset);
        lock (_gate)
        {
            _unrouted.Sought(offset.TopicPartition, Unrouted());
        }
    }

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => _inner.Committed(partitions, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition) => _inner.GetWatermarkOffsets(partition);

    /// <summary>Stops the fetch thread (see <see cref="Finish"/>) and leaves the group on the caller's thread, which runs the revoke handler.</summary>
    public void Close()
    {
        Stop();
        _inner.Close();
    }

    public void Dispose()
    {
        Stop();
        _inner.Dispose();
    }

    private void Stop()
    {
        Finish();
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        if (_started)
        {
            _thread.Join();
        }
    }

    /// <summary>
    /// Keeps the fetch thread from starting a batch until <see cref="Release"/>, and waits for the one it is filling, unless
    /// it waits for a handler already (which the loop runs at its next <see cref="Collect"/>, not inside its periodic work).
    /// </summary>
    private void HoldFetch()
    {
        lock (_gate)
        {
            _held = true;
            while (_fetching && _handoff is null && !_handing)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>The batches fetched and not routed yet, in routing order: the one the loop took, those waiting, the one being filled while its thread waits.</summary>
    private List<List<ConsumeResult<byte[], byte[]>>> Unrouted()
    {
        var unrouted = new List<List<ConsumeResult<byte[], byte[]>>>(Depth + 2);
        if (_taken is not null)
        {
            unrouted.Add(_taken);
        }

        unrouted.AddRange(_ready.Select(r => r.Records));
        if (_fetching && _filling is not null)
        {
            unrouted.Add(_filling);
        }

        return unrouted;
    }

    /// <summary>An empty batch queued for the loop, for records put back when nothing else is waiting.</summary>
    private List<ConsumeResult<byte[], byte[]>> Enqueued()
    {
        var batch = Spare();
        _ready.Enqueue((batch, null));
        return batch;
    }

    private List<ConsumeResult<byte[], byte[]>> Spare()
    {
        var batch = _free.Count > 0 ? _free.Pop() : new List<ConsumeResult<byte[], byte[]>>(_maxBatch);
        batch.Clear();
        return batch;
    }

    private int Dropping(List<TopicPartitionOffset> partitions, Action<List<TopicPartitionOffset>> handler)
    {
        handler(partitions);
        lock (_gate)
        {
            _unrouted.Dropped([.. partitions.Select(p => p.TopicPartition)], Unrouted());
        }

        return 0;
    }

    /// <summary>Runs a handed-over handler on the loop's thread and wakes the fetch thread that waits for it.</summary>
    private void Hand(Func<object?> work)
    {
        (object? Result, Exception? Error) outcome = (null, null);
        try
        {
            outcome.Result = work();
        }
        catch (Exception e)
        {
            outcome.Error = e;
        }

        lock (_gate)
        {
            _handing = false;
            _handed = (true, outcome.Result, outcome.Error);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Runs a rebalance handler on the loop's thread: from the fetch thread, waits until the loop has run it.</summary>
    private T OnLoop<T>(Func<T> handler)
    {
        if (Thread.CurrentThread != _thread)
        {
            return handler(); // the loop's own thread: Close, or no fetch thread yet
        }

        (bool Done, object? Result, Exception? Error) handed;
        lock (_gate)
        {
            (_handoff, _handed) = (() => handler(), default);
            Monitor.PulseAll(_gate);
            while (!_handed.Done)
            {
                Monitor.Wait(_gate);
            }

            handed = _handed;
        }

        if (handed.Error is not null)
        {
            ExceptionDispatchInfo.Throw(handed.Error);
        }

        return (T)handed.Result!;
    }

    private void Run()
    {
        while (true)
        {
            List<ConsumeResult<byte[], byte[]>> batch;
            lock (_gate)
            {
                while (!_stopping && (_held || _ready.Count >= Depth))
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                (batch, _fetching) = (Spare(), true);
                _filling = batch;
            }

            Exception? error = null;
            try
            {
                // Records go straight into the batch: the loop touches it only while this thread waits for a handler.
                for (var result = _inner.Consume(PollSlice); result is not null; result = batch.Count < _maxBatch ? _inner.Consume(TimeSpan.Zero) : null)
                {
                    if (!result.IsPartitionEOF)
                    {
                        batch.Add(result);
                    }
                }
            }
            catch (Exception e)
            {
                error = e;
            }

            lock (_gate)
            {
                (_fetching, _filling) = (false, null);
                if (batch.Count > 0 || error is not null)
                {
                    _ready.Enqueue((batch, error));
                }
                else
                {
                    _free.Push(batch);
                }

                Monitor.PulseAll(_gate);
            }
        }
    }
}
