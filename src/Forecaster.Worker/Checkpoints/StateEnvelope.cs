using System.Buffers.Binary;
using Forecaster.Core.Checkpoints;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The frame of every state-topic value, version 2 (little-endian):
/// <code>
/// magic "FCSTSTAT" (8) | format version int32 | kind byte | checkpoint sequence int64 |
/// absorbed input offset int64 | model version int64 | payload length int32 | payload | CRC-32 uint32
/// </code>
/// The sequence ties the records of one checkpoint to its commit marker. Each record also says what it is
/// the state of, so that it is self-sufficient when it is the only record of its key left after compaction:
/// the input offset its checkpoint absorbed (every input offset before it is in the state) and the model
/// version the series state was computed under. Version 1 frames (without those two fields) are still read:
/// absorbed and model version are then -1 (unknown). Tombstones (evicted series) have no value; their
/// sequence rides in the <see cref="SequenceHeader"/> header.
/// </summary>
internal static class StateEnvelope
{
    public const int FormatVersion = 2;
    public const string SequenceHeader = "forecaster.seq";
    private const int HeaderBytesV1 = 8 + 4 + 1 + 8 + 4;
    private const int HeaderBytes = HeaderBytesV1 + 8 + 8;

    private static ReadOnlySpan<byte> Magic => "FCSTSTAT"u8;

    /// <summary>A version-2 frame of <paramref name="payload"/>; <paramref name="absorbed"/> and <paramref name="modelVersion"/> are -1 where they mean nothing (a model or marker).</summary>
    public static byte[] Wrap(StateRecordKind kind, long sequence, ReadOnlySpan<byte> payload, long absorbed = -1, long modelVersion = -1)
    {
        var value = new byte[HeaderBytes + payload.Length + 4];
        Magic.CopyTo(value);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), FormatVersion);
        value[12] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(13), sequence);
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(21), absorbed);
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(29), modelVersion);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(37), payload.Length);
        payload.CopyTo(value.AsSpan(HeaderBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(HeaderBytes + payload.Length), Crc32.Compute(value.AsSpan(0, HeaderBytes + payload.Length)));
        return value;
    }

    /// <summary>Checks and opens a frame.</summary>
    /// <exception cref="InvalidDataException">Foreign, newer, truncated or corrupt.</exception>
    public static StateFrame Unwrap(byte[] value)
    {
        if (value.Length < Magic.Length || !value.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a Forecaster state record (the magic bytes are wrong)");
        }

        if (value.Length < 12)
        {
            throw new InvalidDataException("the state record ends early (truncated)");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(8));
        if (version < 1 || version > FormatVersion)
        {
            throw new InvalidDataException($"state record format version {version} is not supported (this build reads 1 to {FormatVersion})");
        }

        var header = version == 1 ? HeaderBytesV1 : HeaderBytes;
        if (value.Length < header + 4)
        {
            throw new InvalidDataException("the state record ends early (truncated)");
        }

        var kind = (StateRecordKind)value[12];
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(13));
        var absorbed = version == 1 ? -1 : BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(21));
        var modelVersion = version == 1 ? -1 : BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(29));
        var length = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(header - 4));
        if (length < 0 || length != value.Length - header - 4)
        {
            throw new InvalidDataException($"the state record declares {length} payload bytes but holds {value.Length - header - 4} (truncated or padded)");
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(header + length));
        var computed = Crc32.Compute(value.AsSpan(0, header + length));
        if (stored != computed)
        {
            throw new InvalidDataException($"state record checksum mismatch: stored 0x{stored:X8}, computed 0x{computed:X8}");
        }

        if (kind is not (StateRecordKind.Model or StateRecordKind.Series or StateRecordKind.Commit))
        {
            throw new InvalidDataException($"unknown state record kind {(byte)kind}");
        }

        return new StateFrame(kind, sequence, value.AsMemory(header, length), version, absorbed, modelVersion);
    }
}
