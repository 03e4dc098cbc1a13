using System.Text.Json;

namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>
/// The three parallel arrays of a collectd value list, <c>values</c> (a <c>null</c> kept as NaN), <c>dstypes</c> and
/// <c>dsnames</c>, read in whatever order they come; reused for every record.
/// </summary>
internal sealed class CollectdDataSources
{
    private double[] _values = new double[4];
    private string?[] _valueRefusals = new string?[4];
    private DataSourceType[] _types = new DataSourceType[4];
    private TextRange[] _names = new TextRange[4];
    private int _valueCount, _typeCount, _nameCount;

    public int Count => _valueCount;

    /// <summary>At least one data source, and as many types and names as values.</summary>
    public bool Complete => _valueCount > 0 && _typeCount == _valueCount && _nameCount == _valueCount;

    /// <summary>Value i: NaN for collectd's <c>null</c> (a value it does not know).</summary>
    public double Value(int i) => _values[i];

    /// <summary>Why value i cannot be used (not a number, not finite, out of range, an unknown type), or null: it alone is refused.</summary>
    public string? Refusal(int i) => _valueRefusals[i] ?? (_types[i] == DataSourceType.Unknown ? RejectReasons.InvalidKind : null);
    public DataSourceType Type(int i) => _types[i];
    public TextRange Name(int i) => _names[i];

    public void Clear() => _valueCount = _typeCount = _nameCount = 0;

    public string? ReadValues(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return RejectReasons.MalformedJson;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var value = double.NaN;
            string? refusal = null;
            if (reader.TokenType == JsonTokenType.Number)
            {
                refusal = !reader.TryGetDouble(out value) || !double.IsFinite(value) ? RejectReasons.NonFiniteValue : JsonPointReader.Range(value);
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                refusal = RejectReasons.NonNumericValue;
                reader.Skip();
            }

            Grow(ref _values, _valueCount);
            Grow(ref _valueRefusals, _valueCount);
            _values[_valueCount] = value;
            _valueRefusals[_valueCount++] = refusal;
        }

        return null;
    }

    public string? ReadTypes(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return RejectReasons.MalformedJson;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var type = DataSourceType.Unknown;
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
            }
            else if (reader.ValueTextEquals("gauge"u8))
            {
                type = DataSourceType.Gauge;
            }
            else if (reader.ValueTextEquals("derive"u8))
            {
                type = DataSourceType.Derive;
            }
            else if (reader.ValueTextEquals("counter"u8))
            {
                type = DataSourceType.Counter;
            }
            else if (reader.ValueTextEquals("absolute"u8))
            {
                type = DataSourceType.Absolute;
            }

            Grow(ref _types, _typeCount);
            _types[_typeCount++] = type;
        }

        return null;
    }

    public string? ReadNames(ref Utf8JsonReader reader, DecodedRecord record)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return RejectReasons.MalformedJson;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return RejectReasons.MalformedJson;
            }

            Grow(ref _names, _nameCount);
            _names[_nameCount++] = record.AppendString(ref reader);
        }

        return null;
    }

    private static void Grow<T>(ref T[] array, int count)
    {
        if (count == array.Length)
        {
            Array.Resize(ref array, count * 2);
        }
    }
}
