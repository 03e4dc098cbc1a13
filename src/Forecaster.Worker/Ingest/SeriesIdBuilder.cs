using System.Text;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Writes the series id <c>metric{k="v",...}</c> (labels sorted by key, values escaped as in the
/// Prometheus text format: backslash, double quote, newline) into a reused buffer.
/// </summary>
internal sealed class SeriesIdBuilder
{
    private char[] _buffer = new char[256];
    private byte[] _utf8 = new byte[256];
    private int _length;
    private int _utf8Length = -1;
    private DecodedRecord? _builtRecord;
    private long _builtVersion;
    private int _builtField;

    public ReadOnlySpan<char> Id => _buffer.AsSpan(0, _length);

    /// <summary>Builds the id of field <paramref name="field"/>; labels must already be sorted. The id last built is reused when the record has not changed since.</summary>
    public ReadOnlySpan<char> Build(DecodedRecord record, int field)
    {
        if (ReferenceEquals(record, _builtRecord) && record.Version == _builtVersion && field == _builtField)
        {
            return Id;
        }

        _builtRecord = record;
        _builtVersion = record.Version;
        _builtField = field;
        _length = 0;
        _utf8Length = -1;
        Append(record.Text(record.Metric));
        var suffix = record.FieldSuffix(field);
        if (!suffix.IsEmpty)
        {
            Append('_');
            Append(suffix);
        }

        if (record.LabelCount > 0)
        {
            Append('{');
            for (var i = 0; i < record.LabelCount; i++)
            {
                if (i > 0)
                {
                    Append(',');
                }

                Append(record.LabelKey(i));
                Append("=\"");
                AppendEscaped(record.LabelValue(i));
                Append('"');
            }

            Append('}');
        }

        return Id;
    }

    /// <summary>The id last built, as UTF-8 in a reused buffer (valid until the next build; encoded once per build).</summary>
    public ReadOnlySpan<byte> Utf8()
    {
        if (_utf8Length >= 0)
        {
            return _utf8.AsSpan(0, _utf8Length);
        }

        var most = Encoding.UTF8.GetMaxByteCount(_length);
        if (_utf8.Length < most)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        _utf8Length = Encoding.UTF8.GetBytes(Id, _utf8);
        return _utf8.AsSpan(0, _utf8Length);
    }

    private void AppendEscaped(ReadOnlySpan<char> value)
    {
        var plain = value.IndexOfAny('\\', '"', '\n');
        if (plain < 0)
        {
            Append(value); // nearly every value: copied whole
            return;
        }

        Append(value[..plain]);
        foreach (var c in value[plain..])
        {
            switch (c)
            {
                case '\\': Append("\\\\"); break;
                case '"': Append("\\\""); break;
                case '\n': Append("\\n"); break;
                default: Append(c); break;
            }
        }
    }

    private void Append(char c)
    {
        Ensure(1);
        _buffer[_length++] = c;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
