using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// Checkpoints off: an input offset is stored (for auto-commit) once every forecast and dead letter it
/// caused is acknowledged; a failed delivery ends the loop (its offset is never stored).
/// </summary>
internal sealed class OffsetCommit(LoopServices loop) : ICommitProtocol
{
    private readonly OffsetSettler _settler = new(loop);

    public TimeSpan PollTimeout(TimeSpan idle) => idle;

    public void Start()
    {
    }

    public void Settle() => FailOnDeliveryError(loop, _settler.Settle(storeOffsets: true));

    public void Punctuate()
    {
    }

    public void Revoked(IReadOnlyList<OwnedShard> revoked)
    {
    }

    public void Lost()
    {
    }

    public void Dropped(OwnedShard owned)
    {
    }

    public void Shutdown()
    {
    }

    /// <summary>At-least-once: a delivery that failed for good ends the loop.</summary>
    internal static void FailOnDeliveryError(LoopServices loop, Confluent.Kafka.Error? failure)
    {
        if (failure is not null && !loop.Failure.Failed)
        {
            WorkerLog.DeliveryFailed(loop.Logger, failure.Code.ToString(), failure.Reason);
            loop.Failure.Fail(failure);
        }
    }
}
