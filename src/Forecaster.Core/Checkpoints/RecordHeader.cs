using System.Buffers.Binary;

namespace Forecaster.Core.Checkpoints;

/// <summary>The opening every Core record shares: eight magic bytes, then the format version as a little-endian int32.</summary>
internal static class RecordHeader
{
    /// <summary>The format version <paramref name="source"/> declares; 0 when it does not open with <paramref name="magic"/>.</summary>
    public static int Version(ReadOnlySpan<byte> source, ReadOnlySpan<byte> magic) =>
        source.Length >= magic.Length + 4 && source[..magic.Length].SequenceEqual(magic) ? BinaryPrimitives.ReadInt32LittleEndian(source[magic.Length..]) : 0;
}
