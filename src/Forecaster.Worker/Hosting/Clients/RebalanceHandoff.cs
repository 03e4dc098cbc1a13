using System.Runtime.ExceptionServices;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// Hands a rebalance handler from <see cref="FetchQueue"/>'s fetch thread, inside whose poll librdkafka runs it, to the
/// loop's thread: the poll waits until the loop, between two batches, has taken the handler (<see cref="Take"/>) and run
/// it (<see cref="Serve"/>), and gets its result or its exception. Called on any other thread (the loop's own, as in
/// Close), a handler runs at once. Its state is guarded by the fetch queue's monitor.
/// </summary>
internal sealed class RebalanceHandoff(object gate, Thread fetchThread)
{
    private Func<object?>? _pending;
    private (bool Done, object? Result, Exception? Error) _handed;

    /// <summary>Whether a handler waits for the loop (read under the gate).</summary>
    public bool Pending => _pending is not null;

    /// <summary>Whether the loop is running a handler now (read under the gate).</summary>
    public bool Handing { get; private set; }

    /// <summary>Runs <paramref name="handler"/> on the loop's thread: from the fetch thread, waits until the loop has run it.</summary>
    public T Run<T>(Func<T> handler)
    {
        if (Thread.CurrentThread != fetchThread)
        {
            return handler();
        }

        (bool Done, object? Result, Exception? Error) handed;
        lock (gate)
        {
            (_pending, _handed) = (() => handler(), default);
            Monitor.PulseAll(gate);
            while (!_handed.Done)
            {
                Monitor.Wait(gate);
            }

            handed = _handed;
        }

        if (handed.Error is not null)
        {
            ExceptionDispatchInfo.Throw(handed.Error);
        }

        return (T)handed.Result!;
    }

    /// <summary>Takes the handler that waits (under the gate, when <see cref="Pending"/>); the loop runs it with <see cref="Serve"/>, outside the gate.</summary>
    public Func<object?> Take()
    {
        var work = _pending!;
        (_pending, Handing) = (null, true);
        return work;
    }

    /// <summary>Runs a handler taken by <see cref="Take"/> and wakes the poll that waits for it.</summary>
    public void Serve(Func<object?> work)
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

        lock (gate)
        {
            Handing = false;
            _handed = (true, outcome.Result, outcome.Error);
            Monitor.PulseAll(gate);
        }
    }
}
