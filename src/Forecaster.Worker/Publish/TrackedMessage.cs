using Confluent.Kafka;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Publish;

/// <summary>An outgoing record that remembers which input offset its delivery completes.</summary>
internal sealed class TrackedMessage : Message<byte[], byte[]>
{
    public TrackedMessage(OffsetTracker offsets, long sourceOffset, bool deadLetter)
    {
        Offsets = offsets;
        SourceOffset = sourceOffset;
        DeadLetter = deadLetter;
    }

    public OffsetTracker Offsets { get; }
    public long SourceOffset { get; }
    public bool DeadLetter { get; }
}
