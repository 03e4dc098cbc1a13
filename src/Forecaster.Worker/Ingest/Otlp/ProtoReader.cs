using System.Buffers.Binary;

namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// Reads the protobuf wire format (tags, varints, fixed64, length-delimited fields) of one message that
/// spans <c>[start, end)</c> of a record. Positions are absolute in the record, so a nested message is
/// read by a new reader over its own range. Truncated or malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ProtoReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int Len = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _all;
    private readonly int _end;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> all, int start, int length)
    {
        _all = all;
        _pos = start;
        _end = start + length;
    }

    /// <summary>The next field's number and wire type; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = wireType = 0;
        if (_pos >= _end)
        {
            return false;
        }

        var tag = ReadVarint();
        if (tag >> 3 is 0 or > int.MaxValue)
        {
            throw Malformed("field number");
        }

        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64 && _pos < _end; shift += 7)
        {
            var b = _all[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("varint");
    }

    public ulong ReadFixed64()
    {
        if (_end - _pos < 8)
        {
            throw Malformed("fixed64");
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_all.Slice(_pos, 8));
        _pos += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    /// <summary>A length-delimited field: its payload's absolute start and length.</summary>
    public (int Start, int Length) ReadLength()
    {
        var length = ReadVarint();
        if (length > (ulong)(_end - _pos))
        {
            throw Malformed("length");
        }

        var start = _pos;
        _pos += (int)length;
        return (start, (int)length);
    }

    /// <summary>The payload of a length-delimited field (a string's UTF-8 bytes).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var (start, length) = ReadLength();
        return _all.Slice(start, length);
    }

    /// <summary>Skips a field the reader does not use; groups (wire types 3 and 4, deprecated) are refused.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Advance(8); break;
            case Len: ReadLength(); break;
            case Fixed32: Advance(4); break;
            default: throw Malformed("wire type");
        }
    }

    private void Advance(int bytes)
    {
        if (_end - _pos < bytes)
        {
            throw Malformed("fixed field");
        }

        _pos += bytes;
    }

    private static InvalidDataException Malformed(string what) => new($"malformed protobuf: {what}");
}
