namespace Forecaster.Worker.Checkpoints;

/// <summary>An opened state record (see <see cref="StateEnvelope"/>): Absorbed and ModelVersion are -1 when unknown (a version 1 frame) or meaningless (model, marker).</summary>
internal readonly record struct StateFrame(StateRecordKind Kind, long Sequence, ReadOnlyMemory<byte> Payload, int Version, long Absorbed, long ModelVersion)
{
    public void Deconstruct(out StateRecordKind kind, out long sequence, out ReadOnlyMemory<byte> payload)
    {
        kind = Kind;
        sequence = Sequence;
        payload = Payload;
    }
}
