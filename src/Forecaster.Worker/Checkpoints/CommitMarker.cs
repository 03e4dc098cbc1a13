using System.Buffers.Binary;

namespace Forecaster.Worker.Checkpoints;

/// <summary>The payload of a commit marker: the next input offset the shard would read (everything before is absorbed), and the live series count.</summary>
internal readonly record struct CommitMarker(long InputOffset, int SeriesCount)
{
    public byte[] ToBytes()
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, InputOffset);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), SeriesCount);
        return bytes;
    }

    /// <exception cref="InvalidDataException">Wrong length or impossible values.</exception>
    public static CommitMarker Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 12)
        {
            throw new InvalidDataException($"a commit marker has 12 payload bytes, this one {payload.Length}");
        }

        var marker = new CommitMarker(BinaryPrimitives.ReadInt64LittleEndian(payload), BinaryPrimitives.ReadInt32LittleEndian(payload[8..]));
        return marker.InputOffset < 0 || marker.SeriesCount < 0
            ? throw new InvalidDataException($"impossible commit marker (offset {marker.InputOffset}, {marker.SeriesCount} series)")
            : marker;
    }
}
