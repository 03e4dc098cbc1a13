using System.Buffers.Binary;
using Forecaster.Core.Checkpoints;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The frame of every state-topic value, version 1 (little-endian):
/// <code>
/// magic "FCSTSTAT" (8) | format version int32 | kind byte | checkpoint sequence int64 | payload length int32 | payload | CRC-32 uint32
/// </code>
/// The sequence number ties the records of one checkpoint to its commit marker. Tombstones (evicted
/// series) have no value; their sequence rides in the <see cref="SequenceHeader"/> header.
/// </summary>
internal static class StateEnvelope
{
    public const int FormatVersion = 1;
    public const string SequenceHeader = "forecaster.seq";
    private const int HeaderBytes = 8 + 4 + 1 + 8 + 4;

    private static ReadOnlySpan<byte> Magic => "FCSTSTAT"u8;

    public static byte[] Wrap(StateRecordKind kind, long sequence, ReadOnlySpan<byte> payload)
    {
        var value = new byte[HeaderBytes + payload.Length + 4];
        Magic.CopyTo(value);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), FormatVersion);
        value[12] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(13), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(21), payload.Length);
        payload.CopyTo(value.AsSpan(HeaderBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(HeaderBytes + payload.Length), Crc32.Compute(value.AsSpan(0, HeaderBytes + payload.Length)));
        return value;
    }

    /// <summary>Checks and opens a frame.</summary>
    /// <exception cref="InvalidDataException">Foreign, newer, truncated or corrupt.</exception>
    public static (StateRecordKind Kind, long Sequence, ReadOnlyMemory<byte> Payload) Unwrap(byte[] value)
    {
        if (value.Length < Magic.Length || !value.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a Forecaster state record (the magic bytes are wrong)");
        }

        if (value.Length < HeaderBytes + 4)
        {
            throw new InvalidDataException("the state record ends early (truncated)");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(8));
        if (version < 1 || version > FormatVersion)
        {
            throw new InvalidDataException($"state record format version {version} is not supported (this build reads 1 to {FormatVersion})");
        }

        var kind = (StateRecordKind)value[12];
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(13));
        var length = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(21));
        if (length < 0 || length != value.Length - HeaderBytes - 4)
        {
            throw new InvalidDataException($"the state record declares {length} payload bytes but holds {value.Length - HeaderBytes - 4} (truncated or padded)");
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(HeaderBytes + length));
        var computed = Crc32.Compute(value.AsSpan(0, HeaderBytes + length));
        if (stored != computed)
        {
            throw new InvalidDataException($"state record checksum mismatch: stored 0x{stored:X8}, computed 0x{computed:X8}");
        }

        if (kind is not (StateRecordKind.Model or StateRecordKind.Series or StateRecordKind.Commit))
        {
            throw new InvalidDataException($"unknown state record kind {(byte)kind}");
        }

        return (kind, sequence, value.AsMemory(HeaderBytes, length));
    }
}
