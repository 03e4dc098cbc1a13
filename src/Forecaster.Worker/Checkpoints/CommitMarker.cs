using System.Buffers.Binary;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The payload of a commit marker: the next input offset the shard would read (everything before is absorbed), the
/// live series count and, for a shard of the repartition topic, its <see cref="OriginMarks"/> after them (a marker
/// without marks is the 12 bytes it always was).
/// </summary>
internal readonly record struct CommitMarker(long InputOffset, int SeriesCount, OriginMarks? Origins = null)
{
    public byte[] ToBytes()
    {
        var origins = Origins is { Count: > 0 } marks ? marks.ToBytes() : [];
        var bytes = new byte[12 + origins.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, InputOffset);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), SeriesCount);
        origins.CopyTo(bytes.AsSpan(12));
        return bytes;
    }

    /// <exception cref="InvalidDataException">Wrong length or impossible values.</exception>
    public static CommitMarker Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 12)
        {
            throw new InvalidDataException($"a commit marker has at least 12 payload bytes, this one {payload.Length}");
        }

        var origins = payload.Length > 12 ? OriginMarks.Parse(payload[12..]) : null;
        var marker = new CommitMarker(BinaryPrimitives.ReadInt64LittleEndian(payload), BinaryPrimitives.ReadInt32LittleEndian(payload[8..]), origins);
        return marker.InputOffset < 0 || marker.SeriesCount < 0
            ? throw new InvalidDataException($"impossible commit marker (offset {marker.InputOffset}, {marker.SeriesCount} series)")
            : marker;
    }
}
