using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// <see cref="FetchAhead"/>'s fetch thread and its batches: the thread polls batches (at most <c>Kafka:MaxBatchRecords</c>)
/// into a queue of at most <see cref="Depth"/>; the loop takes them (<see cref="Collect"/>), running meanwhile the
/// rebalance handlers handed over (<see cref="Handoff"/>). <see cref="Hold"/> stops the thread at a batch's end until
/// <see cref="Release"/>, so the batches not routed yet (<see cref="Unrouted"/>) stay still while the loop pauses, resumes
/// or seeks. Everything here is guarded by <see cref="Gate"/>; a batch being filled is touched only by the fetch thread,
/// or by the loop while that thread waits for a handler.
/// </summary>
internal sealed class FetchQueue
{
    /// <summary>Batches fetched ahead of the one the loop routes.</summary>
    public const int Depth = 2;

    /// <summary>The fetch thread's longest wait in one poll: how long a pause waits at most on an idle input.</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(10);

    private readonly Func<TimeSpan, ConsumeResult<byte[], byte[]>?> _poll;
    private readonly int _maxBatch;
    private readonly UnroutedRecords _unrouted;
    private readonly Thread _thread;
    private readonly Queue<(List<ConsumeResult<byte[], byte[]>> Records, Exception? Error)> _ready = new();
    private readonly Stack<List<ConsumeResult<byte[], byte[]>>> _free = new();
    private List<ConsumeResult<byte[], byte[]>>? _filling;
    private List<ConsumeResult<byte[], byte[]>>? _taken;
    private bool _started;
    private bool _fetching;
    private bool _held;
    private bool _stopping;

    /// <summary>A queue whose thread polls with <paramref name="poll"/> once started by the first <see cref="Collect"/>; each batch taken goes by <paramref name="unrouted"/>'s paused partitions first.</summary>
    public FetchQueue(Func<TimeSpan, ConsumeResult<byte[], byte[]>?> poll, int maxBatch, UnroutedRecords unrouted)
    {
        (_poll, _maxBatch, _unrouted) = (poll, maxBatch, unrouted);
        _thread = new Thread(Run) { IsBackground = true, Name = "fetch ahead" };
        Handoff = new RebalanceHandoff(Gate, _thread);
    }

    public object Gate { get; } = new();

    public RebalanceHandoff Handoff { get; }

    /// <summary>
    /// The next batch fetched, waiting at most <paramref name="timeout"/> for one (empty when none came) and running the
    /// handlers handed over meanwhile. The batch taken before must be routed by then: its list is reused.
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
        ReturnTaken();
        while (true)
        {
            Func<object?> work;
            lock (Gate)
            {
                while (!Handoff.Pending && _ready.Count == 0 && Stopwatch.GetTimestamp() < deadline)
                {
                    Monitor.Wait(Gate, Math.Max(1, (int)Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds));
                }

                if (!Handoff.Pending)
                {
                    var (records, failed) = _ready.Count > 0 ? _ready.Dequeue() : (Spare(), null);
                    Monitor.PulseAll(Gate);
                    if (failed is not null and not ConsumeException)
                    {
                        ExceptionDispatchInfo.Throw(failed);
                    }

                    error = failed as ConsumeException;
                    _unrouted.HoldPaused(records);
                    return _taken = records;
                }

                work = Handoff.Take();
            }

            Handoff.Serve(work);
        }
    }

    /// <summary>Lets the fetch thread go on after <see cref="Hold"/>.</summary>
    public void Release()
    {
        lock (Gate)
        {
            if (_held)
            {
                _held = false;
                Monitor.PulseAll(Gate);
            }
        }
    }

    /// <summary>
    /// Keeps the fetch thread from starting a batch until <see cref="Release"/>, and waits for the one it is filling, unless
    /// it waits for a handler already (which the loop runs at its next <see cref="Collect"/>, not inside its periodic work).
    /// </summary>
    public void Hold()
    {
        lock (Gate)
        {
            _held = true;
            while (_fetching && !Handoff.Pending && !Handoff.Handing)
            {
                Monitor.Wait(Gate);
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

        ReturnTaken();
        while (true)
        {
            Func<object?> work;
            lock (Gate)
            {
                _held = true;
                while (_fetching && !Handoff.Pending)
                {
                    Monitor.Wait(Gate);
                }

                if (!Handoff.Pending)
                {
                    _ready.Clear();
                    return;
                }

                work = Handoff.Take();
            }

            Handoff.Serve(work);
        }
    }

    /// <summary>Finishes (see <see cref="Finish"/>) and ends the fetch thread.</summary>
    public void Stop()
    {
        Finish();
        lock (Gate)
        {
            _stopping = true;
            Monitor.PulseAll(Gate);
        }

        if (_started)
        {
            _thread.Join();
        }
    }

    /// <summary>The batches fetched and not routed yet, in routing order (under the gate, while held): the one the loop took, those waiting, the one being filled while its thread waits for a handler.</summary>
    public List<List<ConsumeResult<byte[], byte[]>>> Unrouted()
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

    private void ReturnTaken()
    {
        lock (Gate)
        {
            if (_taken is not null)
            {
                _free.Push(_taken);
                _taken = null;
            }
        }
    }

    private List<ConsumeResult<byte[], byte[]>> Spare()
    {
        var batch = _free.Count > 0 ? _free.Pop() : new List<ConsumeResult<byte[], byte[]>>(_maxBatch);
        batch.Clear();
        return batch;
    }

    private void Run()
    {
        while (true)
        {
            List<ConsumeResult<byte[], byte[]>> batch;
            lock (Gate)
            {
                while (!_stopping && (_held || _ready.Count >= Depth))
                {
                    Monitor.Wait(Gate);
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
                for (var result = _poll(PollSlice); result is not null; result = batch.Count < _maxBatch ? _poll(TimeSpan.Zero) : null)
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

            lock (Gate)
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

                Monitor.PulseAll(Gate);
            }
        }
    }
}
