using System.Buffers.Binary;

namespace Forecaster.Core.Checkpoints;

/// <summary>
/// Reads little-endian fields from a stream, keeping the CRC-32 of every byte read so far and
/// turning an early end of stream into <see cref="InvalidDataException"/>.
/// </summary>
internal struct ChecksummedReader
{
    private readonly Stream source;
    private readonly byte[] scratch;

    public ChecksummedReader(Stream source)
    {
        this.source = source;
        scratch = new byte[8];
        Crc = 0;
    }

    /// <summary>CRC-32 of the bytes read so far.</summary>
    public uint Crc { get; private set; }

    /// <summary>The next <paramref name="count"/> bytes (count ≤ 8); valid until the next read.</summary>
    public ReadOnlySpan<byte> Read(int count)
    {
        var bytes = scratch.AsSpan(0, count);
        Fill(bytes);
        return bytes;
    }

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Read(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Read(8));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

    /// <summary>
    /// Reads <paramref name="count"/> floats in chunks, so a corrupt count on a short stream fails
    /// on the missing bytes before it can allocate the whole slab.
    /// </summary>
    public float[] ReadSingles(int count)
    {
        const int ChunkFloats = 1 << 16;
        var values = new List<float>(Math.Min(count, ChunkFloats));
        var bytes = new byte[4 * Math.Min(count, ChunkFloats)];
        while (values.Count < count)
        {
            int take = Math.Min(count - values.Count, ChunkFloats);
            var chunk = bytes.AsSpan(0, 4 * take);
            Fill(chunk);
            for (int i = 0; i < take; i++)
            {
                values.Add(BinaryPrimitives.ReadSingleLittleEndian(chunk[(4 * i)..]));
            }
        }

        return [.. values];
    }

    private void Fill(Span<byte> bytes)
    {
        try
        {
            source.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model file ends early (truncated).", e);
        }

        Crc = Crc32.Append(Crc, bytes);
    }
}
