namespace Forecaster.Worker.Hosting;

/// <summary>
/// What /healthz and /readyz look at: when the consume loop last turned (it turns at least once per
/// poll, so an idle but polling loop is alive) and how many partitions are assigned. Written by the
/// consume thread, read by HTTP threads.
/// </summary>
internal sealed class WorkerHealth
{
    private readonly TimeProvider _time;
    private long _lastBeat;
    private int _assigned;
    private int _restoring;

    public WorkerHealth(TimeProvider time)
    {
        _time = time;
        _lastBeat = time.GetTimestamp();
    }

    public int AssignedPartitions => Volatile.Read(ref _assigned);

    public void Beat() => Volatile.Write(ref _lastBeat, _time.GetTimestamp());

    public void SetAssigned(int partitions) => Volatile.Write(ref _assigned, partitions);

    public bool IsLive(TimeSpan stall) => _time.GetElapsedTime(Volatile.Read(ref _lastBeat)) < stall;

    /// <summary>Partitions being restored from the state topic right now.</summary>
    public int RestoringPartitions => Volatile.Read(ref _restoring);

    public void SetRestoring(int partitions) => Volatile.Write(ref _restoring, partitions);

    /// <summary>Ready when partitions are assigned and every one of them is restored.</summary>
    public bool IsReady => AssignedPartitions > 0 && RestoringPartitions == 0;
}
