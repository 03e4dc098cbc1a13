using System.Buffers.Text;
using System.Text.Json;

namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// Second pass over an OTLP JSON record: the labels and name a metric's points share, and each data
/// point's attributes, times and values. 64-bit integers are read from strings (the OTLP JSON rule) or numbers.
/// </summary>
internal static class OtlpJsonPoints
{
    public static void ReadBase(ReadOnlySpan<byte> all, in OtlpMetricRef metric, DecodedRecord record, OtlpLabelFilter filter)
    {
        if (metric.ResourceStart >= 0)
        {
            Attributes(all.Slice(metric.ResourceStart, metric.ResourceLength), record, filter);
        }

        if (metric.ScopeStart >= 0)
        {
            Attributes(all.Slice(metric.ScopeStart, metric.ScopeLength), record, filter);
        }

        if (metric.NameStart >= 0)
        {
            var reader = new Utf8JsonReader(all.Slice(metric.NameStart, metric.NameLength));
            reader.Read();
            record.Metric = record.AppendString(ref reader);
            OtlpLabelFilter.SanitizeMetric(record.Writable(record.Metric));
        }
    }

    public static string? ReadPoint(ReadOnlySpan<byte> all, OtlpPointRef at, OtlpShape shape, DecodedRecord record, ref OtlpPointData point)
    {
        var number = shape is OtlpShape.Gauge or OtlpShape.Sum;
        point.HasValue = !number;
        point.HasSum = shape == OtlpShape.Summary;
        var reader = new Utf8JsonReader(all.Slice(at.Start, at.Length));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? reason = null;
            if (reader.ValueTextEquals("attributes"u8))
            {
                reader.Read();
                KeyValues(ref reader, record, null);
            }
            else if (reader.ValueTextEquals("timeUnixNano"u8))
            {
                reader.Read();
                reason = TryUInt64(ref reader, out point.TimeNs) ? null : RejectReasons.InvalidTimestamp;
            }
            else if (reader.ValueTextEquals("startTimeUnixNano"u8))
            {
                reader.Read();
                reason = TryUInt64(ref reader, out point.StartNs) ? null : RejectReasons.InvalidTimestamp;
            }
            else if (reader.ValueTextEquals("flags"u8))
            {
                reader.Read();
                reason = TryUInt64(ref reader, out point.Flags) ? null : RejectReasons.MalformedJson;
            }
            else if (number && reader.ValueTextEquals("asDouble"u8))
            {
                reader.Read();
                reason = TryDouble(ref reader, out point.Value);
                point.HasValue = true;
            }
            else if (number && reader.ValueTextEquals("asInt"u8))
            {
                reader.Read();
                reason = TryUInt64(ref reader, out var bits) ? null : RejectReasons.NonNumericValue;
                point.Value = (long)bits;
                point.HasValue = true;
            }
            else if (!number && reader.ValueTextEquals("count"u8))
            {
                reader.Read();
                reason = TryUInt64(ref reader, out var count) ? null : RejectReasons.NonNumericValue;
                point.Value = count;
            }
            else if (!number && reader.ValueTextEquals("sum"u8))
            {
                reader.Read();
                reason = TryDouble(ref reader, out point.Sum);
                point.HasSum = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }

            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }

    private static void Attributes(ReadOnlySpan<byte> json, DecodedRecord record, OtlpLabelFilter filter)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAttributes = reader.ValueTextEquals("attributes"u8);
            reader.Read();
            if (isAttributes)
            {
                KeyValues(ref reader, record, filter);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary><c>[{"key":"k","value":{"stringValue":"v"}},...]</c>: kept when allowed and the value is a string, bool, int or double.</summary>
    private static void KeyValues(ref Utf8JsonReader reader, DecodedRecord record, OtlpLabelFilter? filter)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var mark = record.TextLength;
            TextRange key = default, value = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = reader.ValueTextEquals("key"u8) ? 1 : reader.ValueTextEquals("value"u8) ? 2 : 0;
                reader.Read();
                if (which == 1 && reader.TokenType == JsonTokenType.String)
                {
                    key = record.AppendString(ref reader);
                }
                else if (which == 2 && reader.TokenType == JsonTokenType.StartObject)
                {
                    value = AnyValue(ref reader, record);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (key.Length == 0 || value.Length == 0 || (filter is not null && !filter.Allows(record.Text(key))))
            {
                record.RewindText(mark);
                continue;
            }

            OtlpLabelFilter.SanitizeLabel(record.Writable(key));
            record.SetLabel(key, value);
        }
    }

    private static TextRange AnyValue(ref Utf8JsonReader reader, DecodedRecord record)
    {
        TextRange value = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = reader.ValueTextEquals("stringValue"u8) ? 1 : reader.ValueTextEquals("boolValue"u8) ? 2
                : reader.ValueTextEquals("intValue"u8) ? 3 : reader.ValueTextEquals("doubleValue"u8) ? 4 : 0;
            reader.Read();
            if (which == 1 && reader.TokenType == JsonTokenType.String)
            {
                value = record.AppendString(ref reader);
            }
            else if (which == 2 && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                value = record.AppendUtf8(reader.TokenType == JsonTokenType.True ? "true"u8 : "false"u8);
            }
            else if (which == 3 && TryUInt64(ref reader, out var bits))
            {
                value = record.AppendFormatted((long)bits);
            }
            else if (which == 4 && TryDouble(ref reader, out var number) is null)
            {
                value = record.AppendFormatted(number);
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    /// <summary>A 64-bit integer as a string (the OTLP JSON rule) or a number; a negative int64 comes back as its two's complement.</summary>
    private static bool TryUInt64(ref Utf8JsonReader reader, out ulong value)
    {
        value = 0;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetUInt64(out value))
            {
                return true;
            }

            var ok = reader.TryGetInt64(out var signed);
            value = (ulong)signed;
            return ok;
        }

        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return false;
        }

        var text = reader.ValueSpan;
        if (Utf8Parser.TryParse(text, out value, out var used) && used == text.Length)
        {
            return true;
        }

        var parsed = Utf8Parser.TryParse(text, out long negative, out used) && used == text.Length;
        value = (ulong)negative;
        return parsed;
    }

    /// <summary>A JSON number, or the proto3 JSON strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (refused later as non-finite).</summary>
    private static string? TryDouble(ref Utf8JsonReader reader, out double value)
    {
        value = double.NaN;
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out value) ? null : RejectReasons.NonFiniteValue;
        }

        if (reader.TokenType == JsonTokenType.String
            && (reader.ValueTextEquals("NaN"u8) || reader.ValueTextEquals("Infinity"u8) || reader.ValueTextEquals("-Infinity"u8)))
        {
            return null;
        }

        return RejectReasons.NonNumericValue;
    }
}
