using Confluent.Kafka;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Delivery accounting of the records of one checkpoint: how many are still in flight and whether any
/// failed. Delivery reports arrive on the producer's thread; the consume thread reads. One instance per
/// checkpoint, so the late reports of an abandoned checkpoint never count against the next one.
/// </summary>
internal sealed class CheckpointAcks
{
    private int _inFlight;
    private int _failed;
    private Error? _lastError;

    public CheckpointAcks() => OnDelivery = report =>
    {
        if (report.Error.IsError)
        {
            _lastError = report.Error;
            Interlocked.Increment(ref _failed);
        }

        Interlocked.Decrement(ref _inFlight);
    };

    /// <summary>The delivery handler to produce this checkpoint's records with.</summary>
    public Action<DeliveryReport<byte[], byte[]>> OnDelivery { get; }

    /// <summary>Records produced and not yet reported.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Some record was refused (the checkpoint can never complete).</summary>
    public bool Failed => Volatile.Read(ref _failed) > 0;

    public Error? LastError => _lastError;

    public void Produced() => Interlocked.Increment(ref _inFlight);

    /// <summary>A record counted by <see cref="Produced"/> was refused before it left (no delivery report will come).</summary>
    public void Refused(Error error)
    {
        _lastError = error;
        Interlocked.Increment(ref _failed);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>True when every record produced so far was acknowledged without error.</summary>
    public bool Completed(out Error? error)
    {
        error = _lastError;
        return InFlight == 0 && !Failed;
    }
}
