using Confluent.Kafka;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Delivery accounting of the records of one checkpoint: how many are still in flight and whether any
/// failed. The <see cref="RecordCollector"/> applies each record's report here on the consume thread (at the
/// loop's settle or a flush). One instance per checkpoint, so the late reports of an abandoned checkpoint
/// never count against the next one. Consume thread only.
/// </summary>
internal sealed class CheckpointAcks : IDeliveryReceiver
{
    private int _failed;

    /// <summary>Records produced and not yet reported.</summary>
    public int InFlight { get; private set; }

    /// <summary>Some record was refused (the checkpoint can never complete).</summary>
    public bool Failed => _failed > 0;

    public Error? LastError { get; private set; }

    public void Produced() => InFlight++;

    /// <summary>A record counted by <see cref="Produced"/> was refused before it left (no delivery report will come).</summary>
    public void Refused(Error error) => Delivered(0, error);

    /// <summary>The report of a record counted by <see cref="Produced"/>.</summary>
    public void Delivered(long token, Error? error)
    {
        if (error is not null)
        {
            LastError = error;
            _failed++;
        }

        InFlight--;
    }

    /// <summary>True when every record produced so far was acknowledged without error.</summary>
    public bool Completed(out Error? error)
    {
        error = LastError;
        return InFlight == 0 && !Failed;
    }
}
