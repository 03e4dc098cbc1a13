using System.Diagnostics;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Samples the runtime's last-GC record every few ms on its own thread and keeps each collection seen: when it
/// ended (s since <see cref="Start"/>), its generation and its pause, so the latency histogram can be set
/// against the collections. A collection that ends within the same sample as another may be missed.
/// </summary>
internal sealed class GcWatcher : IDisposable
{
    private readonly List<(double AtS, int Generation, double PauseMs)> _seen = [];
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _start;

    public GcWatcher()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "bench gc watcher" };
    }

    public void Start()
    {
        _start = Stopwatch.GetTimestamp();
        _thread.Start();
    }

    public IReadOnlyList<(double AtS, int Generation, double PauseMs)> Stop()
    {
        _stop = true;
        _thread.Join();
        return _seen;
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            Stop();
        }
    }

    private void Run()
    {
        var last = GC.GetGCMemoryInfo(GCKind.Any).Index;
        while (!_stop)
        {
            Thread.Sleep(2);
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            if (info.Index != last)
            {
                last = info.Index;
                var pause = info.PauseDurations.Length > 0 ? info.PauseDurations[0].TotalMilliseconds + (info.PauseDurations.Length > 1 ? info.PauseDurations[1].TotalMilliseconds : 0) : 0;
                _seen.Add((Stopwatch.GetElapsedTime(_start).TotalSeconds, info.Generation, pause));
            }
        }
    }
}
