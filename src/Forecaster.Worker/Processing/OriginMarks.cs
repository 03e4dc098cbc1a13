using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Forecaster.Worker.Processing;

/// <summary>
/// What a shard of the repartition topic has absorbed, per input partition the points came from: the highest
/// (input offset, point index) seen. A re-keyed point carries its origin in the header <see cref="Header"/> as
/// <c>topic/partition/offset/index</c>. After a crash its input record is read and re-keyed again, so the same point
/// arrives twice; the copies come in input order per input partition, so a point at or below the mark is a
/// duplicate. Saved in the shard's commit marker, so it always matches the offset the shard resumes at.
/// Consume thread only.
/// </summary>
internal sealed class OriginMarks
{
    public const string Header = "forecaster.origin";

    private readonly List<Mark> _marks = [];

    public int Count => _marks.Count;

    /// <summary>The header value of point <paramref name="index"/> of the record at <paramref name="offset"/> of <paramref name="topic"/> [<paramref name="partition"/>].</summary>
    public static byte[] Encode(string topic, int partition, long offset, int index) =>
        Encoding.UTF8.GetBytes(FormattableString.Invariant($"{topic}/{partition}/{offset}/{index}"));

    /// <summary>
    /// True when the point of origin <paramref name="header"/> is new (its mark is raised), false when it was absorbed
    /// already. A missing or unreadable origin is new: only a re-keyed copy can be recognised.
    /// </summary>
    public bool Admit(ReadOnlySpan<byte> header)
    {
        if (!TryParse(header, out var topic, out var partition, out var offset, out var index))
        {
            return true;
        }

        for (var i = 0; i < _marks.Count; i++)
        {
            var mark = _marks[i];
            if (mark.Partition == partition && topic.SequenceEqual(mark.Topic))
            {
                if (offset < mark.Offset || (offset == mark.Offset && index <= mark.Index))
                {
                    return false;
                }

                _marks[i] = mark with { Offset = offset, Index = index };
                return true;
            }
        }

        _marks.Add(new Mark(topic.ToArray(), partition, offset, index));
        return true;
    }

    /// <summary>Takes the marks of <paramref name="other"/> (a restored checkpoint's), or none.</summary>
    public void Set(OriginMarks? other)
    {
        _marks.Clear();
        if (other is not null)
        {
            _marks.AddRange(other._marks);
        }
    }

    /// <summary>The marks as bytes: count, then per mark topic length, topic (UTF-8), partition, offset, index (little-endian).</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(_marks.Count);
        foreach (var mark in _marks)
        {
            writer.Write(mark.Topic.Length);
            writer.Write(mark.Topic);
            writer.Write(mark.Partition);
            writer.Write(mark.Offset);
            writer.Write(mark.Index);
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">Truncated or impossible values.</exception>
    public static OriginMarks Parse(ReadOnlySpan<byte> bytes)
    {
        var marks = new OriginMarks();
        var count = Int(ref bytes);
        for (var i = 0; i < count; i++)
        {
            var length = Int(ref bytes);
            if (length < 0 || length > bytes.Length)
            {
                throw new InvalidDataException("origin marks cut short");
            }

            var topic = bytes[..length].ToArray();
            bytes = bytes[length..];
            var partition = Int(ref bytes);
            var offset = bytes.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : throw new InvalidDataException("origin marks cut short");
            bytes = bytes[8..];
            marks._marks.Add(new Mark(topic, partition, offset, Int(ref bytes)));
        }

        return bytes.IsEmpty ? marks : throw new InvalidDataException($"{bytes.Length} bytes after the origin marks");
    }

    private static int Int(ref ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            throw new InvalidDataException("origin marks cut short");
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        bytes = bytes[4..];
        return value;
    }

    /// <summary>Reads <c>topic/partition/offset/index</c> from the right (a topic name has no slash, but it costs nothing to allow one).</summary>
    private static bool TryParse(ReadOnlySpan<byte> header, out ReadOnlySpan<byte> topic, out int partition, out long offset, out int index)
    {
        topic = default;
        (partition, offset, index) = (0, 0, 0);
        var last = header.LastIndexOf((byte)'/');
        if (last < 0 || !Utf8Parser.TryParse(header[(last + 1)..], out index, out var used) || used != header.Length - last - 1)
        {
            return false;
        }

        header = header[..last];
        last = header.LastIndexOf((byte)'/');
        if (last < 0 || !Utf8Parser.TryParse(header[(last + 1)..], out offset, out used) || used != header.Length - last - 1)
        {
            return false;
        }

        header = header[..last];
        last = header.LastIndexOf((byte)'/');
        if (last < 0 || !Utf8Parser.TryParse(header[(last + 1)..], out partition, out used) || used != header.Length - last - 1)
        {
            return false;
        }

        topic = header[..last];
        return true;
    }

    private readonly record struct Mark(byte[] Topic, int Partition, long Offset, int Index);
}
