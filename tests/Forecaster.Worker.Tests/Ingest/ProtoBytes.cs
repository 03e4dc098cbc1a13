using System.Buffers.Binary;
using System.Text;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>Writes protobuf wire format by field number, for hand-built OTLP payloads (the bad cases a real exporter never sends).</summary>
internal sealed class ProtoBytes
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public ProtoBytes Varint(int field, ulong value)
    {
        Tag(field, 0);
        Raw(value);
        return this;
    }

    public ProtoBytes Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _bytes.AddRange(bytes);
        return this;
    }

    public ProtoBytes Double(int field, double value) => Fixed64(field, BitConverter.DoubleToUInt64Bits(value));

    public ProtoBytes Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Raw((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtoBytes String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBytes Message(int field, ProtoBytes message) => Bytes(field, message.ToArray());

    /// <summary>A KeyValue with a string AnyValue, under <paramref name="field"/>.</summary>
    public ProtoBytes Attribute(int field, string key, string value) =>
        Message(field, new ProtoBytes().String(1, key).Message(2, new ProtoBytes().String(1, value)));

    public byte[] ToArray() => [.. _bytes];

    private void Tag(int field, int wire) => Raw(((ulong)field << 3) | (uint)wire);

    private void Raw(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }
}
