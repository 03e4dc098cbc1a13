using System.Buffers.Binary;

namespace Forecaster.Core.Checkpoints;

/// <summary>Reads little-endian fields one after another from a span; reading past its end is refused as truncation.</summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _source;

    public SpanReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        Position = 0;
    }

    public int Position { get; private set; }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (Position + count > _source.Length)
        {
            throw new InvalidDataException("The record ends early (truncated).");
        }

        var bytes = _source.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public byte Byte() => Bytes(1)[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

    public Half Half() => BinaryPrimitives.ReadHalfLittleEndian(Bytes(2));

    public float Single() => BinaryPrimitives.ReadSingleLittleEndian(Bytes(4));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Bytes(8));

    public void Singles(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Single();
        }
    }
}
