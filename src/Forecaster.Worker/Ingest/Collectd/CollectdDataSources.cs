using System.Text.Json;

namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>
/// The three parallel arrays of a collectd value list, <c>values</c> (a <c>null</c> kept as NaN), <c>dstypes</c> and
/// <c>dsnames</c>, read in whatever order they come; reused for every record.
/// </summary>
internal sealed class CollectdDataSources
{
    private double[] _values = new double[4];
    private DataSourceType[] _types = new DataSourceType[4];
    private TextRange[] _names = new TextRange[4];
    private int _valueCount, _typeCount, _nameCount;

    public int Count => _valueCount;

    /// <summary>At least one data source, and as many types and names as values.</summary>
    public bool Complete => _valueCount > 0 && _typeCount == _valueCount && _nameCount == _valueCount;

    public double Value(int i) => _values[i];
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
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
                {
                    return RejectReasons.NonFiniteValue;
                }

                if (JsonPointReader.Range(value) is { } outOfRange)
                {
                    return outOfRange;
                }
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                return RejectReasons.NonNumericValue;
            }

            Grow(ref _values, _valueCount);
            _values[_valueCount++] = value;
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
            DataSourceType type;
            if (reader.TokenType != JsonTokenType.String)
            {
                return RejectReasons.InvalidKind;
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
            else
            {
                return RejectReasons.InvalidKind;
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
