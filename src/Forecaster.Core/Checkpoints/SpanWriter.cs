using System.Buffers.Binary;

namespace Forecaster.Core.Checkpoints;

/// <summary>Writes little-endian fields one after another into a span the caller has sized.</summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> _destination;

    public SpanWriter(Span<byte> destination)
    {
        _destination = destination;
        Position = 0;
    }

    public int Position { get; private set; }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[Position..]);
        Position += bytes.Length;
    }

    public void Byte(byte value) => _destination[Position++] = value;

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_destination[Position..], value);
        Position += 4;
    }

    public void Half(Half value)
    {
        BinaryPrimitives.WriteHalfLittleEndian(_destination[Position..], value);
        Position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_destination[Position..], value);
        Position += 4;
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[Position..], value);
        Position += 8;
    }

    public void Single(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_destination[Position..], value);
        Position += 4;
    }

    public void Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_destination[Position..], value);
        Position += 8;
    }

    public void Singles(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            Single(value);
        }
    }
}
