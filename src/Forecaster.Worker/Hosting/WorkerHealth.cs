namespace Forecaster.Worker.Hosting;

/// <summary>
/// What /healthz and /readyz look at: when the consume loop last turned (it turns at least once per
/// poll, so an idle but polling loop is alive), how many partitions are assigned and restored, and
/// whether the brokers answer (<see cref="BrokerProbe"/>). Liveness is the loop only: a pod cannot fix a
/// broker outage by restarting. Written by the consume and probe threads, read by HTTP threads.
/// </summary>
internal sealed class WorkerHealth
{
    private readonly TimeProvider _time;
    private long _lastBeat;
    private int _assigned;
    private int _restoring;
    private volatile bool _brokerUp = true;

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

    /// <summary>False while the broker probe goes unanswered (true until a probe has failed).</summary>
    public bool BrokerUp => _brokerUp;

    public void SetBrokerUp(bool up) => _brokerUp = up;

    /// <summary>Ready when partitions are assigned, every one of them is restored, and the brokers answer.</summary>
    public bool IsReady => AssignedPartitions > 0 && RestoringPartitions == 0 && BrokerUp;
}
