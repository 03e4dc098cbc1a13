using System.Text.Json;

namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>
/// collectd's <c>write_kafka</c> with <c>Format JSON</c>: an array of one value list,
/// <c>[{"values":[1,2],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796286955.189,"interval":1.000,
/// "host":"h","plugin":"interface","plugin_instance":"eth0","type":"if_octets","type_instance":""}]</c>.
/// Reads the value list's members; <see cref="CollectdNames"/> makes the metric name and labels, <see cref="CollectdValues"/>
/// the fields. Reused for every record; not thread-safe.
/// </summary>
internal sealed class CollectdParser
{
    private readonly CollectdDataSources _sources = new();

    /// <summary>Parses one record; <paramref name="storeRates"/> is write_kafka's <c>StoreRates</c> (its default is true).</summary>
    public string? Parse(ReadOnlySpan<byte> value, DecodedRecord record, bool storeRates)
    {
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return RejectReasons.MalformedJson;
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.EndArray ? RejectReasons.MissingField : RejectReasons.MalformedJson;
        }

        var reason = ParseValueList(ref reader, record, storeRates);
        if (reason is not null)
        {
            return reason;
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            return reader.TokenType == JsonTokenType.StartObject ? RejectReasons.UnsupportedBatch : RejectReasons.MalformedJson;
        }

        // A second top-level value (or trailing garbage) throws here.
        return reader.Read() ? RejectReasons.MalformedJson : null;
    }

    private string? ParseValueList(ref Utf8JsonReader reader, DecodedRecord record, bool storeRates)
    {
        _sources.Clear();
        TextRange host = default, plugin = default, pluginInstance = default, type = default, typeInstance = default;
        bool hasTime = false, hasHost = false, hasPlugin = false, hasType = false, hasValues = false, hasTypes = false, hasNames = false;
        var interval = double.NaN;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? reason = null;
            if (reader.ValueTextEquals("values"u8))
            {
                reason = _sources.ReadValues(ref reader);
                hasValues = true;
            }
            else if (reader.ValueTextEquals("dstypes"u8))
            {
                reason = _sources.ReadTypes(ref reader);
                hasTypes = true;
            }
            else if (reader.ValueTextEquals("dsnames"u8))
            {
                reason = _sources.ReadNames(ref reader, record);
                hasNames = true;
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reason = ReadSeconds(ref reader, out var seconds) ?? Timestamp(seconds, record);
                hasTime = true;
            }
            else if (reader.ValueTextEquals("interval"u8))
            {
                reason = ReadSeconds(ref reader, out interval);
            }
            else if (reader.ValueTextEquals("host"u8))
            {
                reason = ReadText(ref reader, record, out host, out hasHost);
            }
            else if (reader.ValueTextEquals("plugin"u8))
            {
                reason = ReadText(ref reader, record, out plugin, out hasPlugin);
            }
            else if (reader.ValueTextEquals("plugin_instance"u8))
            {
                reason = ReadText(ref reader, record, out pluginInstance, out _);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reason = ReadText(ref reader, record, out type, out hasType);
            }
            else if (reader.ValueTextEquals("type_instance"u8))
            {
                reason = ReadText(ref reader, record, out typeInstance, out _);
            }
            else
            {
                reader.Read();
                reader.Skip(); // meta, and whatever a later collectd adds
            }

            if (reason is not null)
            {
                return reason;
            }
        }

        if (!hasValues || !hasTypes || !hasNames || !hasTime || !hasHost || !hasPlugin || !hasType)
        {
            return RejectReasons.MissingField;
        }

        if (!_sources.Complete)
        {
            return RejectReasons.MalformedJson;
        }

        CollectdNames.Name(record, plugin, type);
        CollectdNames.Labels(record, host, plugin, pluginInstance, typeInstance);
        return CollectdValues.Fields(record, _sources, storeRates, interval);
    }

    private static string? Timestamp(double seconds, DecodedRecord record)
    {
        var ms = Math.Round(seconds * 1000.0); // written with %.3f: rounding keeps the millisecond a floor would lose
        if (ms is < -1e15 or > 1e15)
        {
            return RejectReasons.InvalidTimestamp;
        }

        record.TimestampMs = (long)ms;
        return null;
    }

    private static string? ReadSeconds(ref Utf8JsonReader reader, out double seconds)
    {
        reader.Read();
        seconds = double.NaN;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out seconds) && double.IsFinite(seconds)
            ? null
            : RejectReasons.InvalidTimestamp;
    }

    private static string? ReadText(ref Utf8JsonReader reader, DecodedRecord record, out TextRange range, out bool present)
    {
        reader.Read();
        range = default;
        present = reader.TokenType == JsonTokenType.String;
        if (!present)
        {
            return RejectReasons.MissingField;
        }

        range = record.AppendString(ref reader);
        return null;
    }
}
