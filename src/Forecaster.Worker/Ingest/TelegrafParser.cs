using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Telegraf's JSON serializer: <c>{"name":"cpu","tags":{"host":"a"},"fields":{"usage_idle":99.1},"timestamp":1458229140}</c>.
/// Each numeric field is its own series, <c>name_field</c>; non-numeric fields (strings, booleans) are
/// skipped, and a record with no numeric field is refused. A field whose value is not finite or out of range is
/// refused alone (named by its index in <c>fields</c>), the others go through. The timestamp unit (s, ms, us, ns) is told
/// apart by magnitude, as Telegraf's <c>json_timestamp_units</c> may be any of them.
/// </summary>
internal static class TelegrafParser
{
    public static string? Parse(ref Utf8JsonReader reader, DecodedRecord record)
    {
        bool hasName = false, hasTs = false, hasFields = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? reason = null;
            if (reader.ValueTextEquals("name"u8))
            {
                reason = JsonPointReader.ReadMetricName(ref reader, record, out hasName);
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadLabels(ref reader, record, dropName: false);
            }
            else if (reader.ValueTextEquals("fields"u8))
            {
                reader.Read();
                reason = ReadFields(ref reader, record);
                hasFields = true;
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                reason = ReadTimestamp(ref reader, record);
                hasTs = true;
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

        if (!hasName || !hasTs || !hasFields)
        {
            return RejectReasons.MissingField;
        }

        return record.FieldCount == 0 ? RejectReasons.NonNumericValue : null;
    }

    private static string? ReadTimestamp(ref Utf8JsonReader reader, DecodedRecord record)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number))
        {
            return RejectReasons.InvalidTimestamp;
        }

        var reason = JsonPointReader.ReadTimestamp(ref reader, JsonPointReader.EpochUnitMs(number), out var ts);
        record.TimestampMs = ts;
        return reason;
    }

    /// <summary>Each numeric field a value at its index in <c>fields</c>; one not finite or out of range is refused alone.</summary>
    private static string? ReadFields(ref Utf8JsonReader reader, DecodedRecord record)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RejectReasons.MalformedJson;
        }

        for (var position = 0; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; position++)
        {
            var suffix = record.AppendString(ref reader);
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number)
            {
                reader.Skip(); // strings and booleans are not metrics: left out, not refused
                continue;
            }

            var refusal = reader.TryGetDouble(out var value) && double.IsFinite(value) ? JsonPointReader.Range(value) : RejectReasons.NonFiniteValue;
            record.AddField(suffix, refusal is null ? value : 0, record.Kind, position);
            if (refusal is not null)
            {
                record.Fields.Refuse(record.FieldCount - 1, refusal);
            }
        }

        return null;
    }
}
