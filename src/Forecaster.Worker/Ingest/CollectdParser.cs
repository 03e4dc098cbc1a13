using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// collectd's <c>write_kafka</c> with <c>Format JSON</c>: an array of one value list,
/// <c>[{"values":[1,2],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796286955.189,"interval":1.000,
/// "host":"h","plugin":"interface","plugin_instance":"eth0","type":"if_octets","type_instance":""}]</c>.
/// Names follow collectd's write_prometheus: metric <c>collectd_[plugin_]type</c> (the plugin left out when it equals the
/// type), each value a field suffixed with its data source name unless that is <c>value</c>, and <c>_total</c> for derive
/// and counter; labels <c>plugin=plugin_instance</c>, <c>type=type_instance</c> (keyed <c>plugin</c> when there is no
/// plugin instance) and <c>instance=host</c>, each only when not empty. A <c>null</c> value (collectd's NaN) is skipped
/// and counted; the other values of the list go through. Reused for every record; not thread-safe.
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

        Name(record, plugin, type);
        Labels(record, host, plugin, pluginInstance, typeInstance);
        return Fields(record, storeRates, interval);
    }

    private static void Name(DecodedRecord record, TextRange plugin, TextRange type)
    {
        var mark = record.TextLength;
        record.AppendText("collectd_");
        if (!record.Text(plugin).SequenceEqual(record.Text(type)))
        {
            record.AppendText(plugin);
            record.AppendText("_");
        }

        record.AppendText(type);
        record.Metric = record.TextSince(mark);
    }

    private static void Labels(DecodedRecord record, TextRange host, TextRange plugin, TextRange pluginInstance, TextRange typeInstance)
    {
        if (pluginInstance.Length > 0)
        {
            record.AddLabel(plugin, pluginInstance);
        }

        if (typeInstance.Length > 0)
        {
            record.AddLabel(pluginInstance.Length > 0 ? record.AppendText("type") : plugin, typeInstance);
        }

        if (host.Length > 0)
        {
            record.AddLabel(record.AppendText("instance"), host);
        }
    }

    private string? Fields(DecodedRecord record, bool storeRates, double interval)
    {
        for (var i = 0; i < _sources.Count; i++)
        {
            var value = _sources.Value(i);
            var type = _sources.Type(i);
            if (double.IsNaN(value))
            {
                record.Fields.Skip(SkipReasons.NullValue);
                continue;
            }

            if (type == DataSourceType.Absolute && !storeRates)
            {
                // The count since the previous read: its rate over the interval, as collectd's own cache computes it.
                if (!(interval > 0))
                {
                    return RejectReasons.MissingField;
                }

                value /= interval;
            }

            var cumulative = type is DataSourceType.Derive or DataSourceType.Counter;
            var kind = cumulative && !storeRates ? MetricKind.Counter : MetricKind.Gauge;
            record.AddField(Suffix(record, _sources.Name(i), cumulative), value, kind, i);
        }

        return null;
    }

    /// <summary>The data source name unless it is <c>value</c>, then <c>_total</c> for a cumulative one (write_prometheus' names).</summary>
    private static TextRange Suffix(DecodedRecord record, TextRange name, bool cumulative)
    {
        var plain = record.Text(name) is "value";
        if (!cumulative)
        {
            return plain ? default : name;
        }

        if (plain)
        {
            return record.AppendText("total");
        }

        var mark = record.TextLength;
        record.AppendText(name);
        record.AppendText("_total");
        return record.TextSince(mark);
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
