using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// The canonical point: <c>{"metric":"m","labels":{"k":"v"},"ts":1764100800000,"value":1.5,"kind":"gauge"}</c>;
/// <c>ts</c> in epoch milliseconds or ISO-8601, <c>kind</c> optional (gauge).
/// </summary>
internal static class CanonicalParser
{
    public static string? Parse(ref Utf8JsonReader reader, DecodedRecord record)
    {
        bool hasMetric = false, hasTs = false, hasValue = false;
        double value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? reason = null;
            if (reader.ValueTextEquals("metric"u8))
            {
                reason = JsonPointReader.ReadMetricName(ref reader, record, out hasMetric);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadLabels(ref reader, record, dropName: false);
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadTimestamp(ref reader, 1.0, out var ts);
                record.TimestampMs = ts;
                hasTs = true;
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadValue(ref reader, allowString: false, out value);
                hasValue = true;
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                reason = ReadKind(ref reader, record);
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

        if (!hasMetric || !hasTs || !hasValue)
        {
            return RejectReasons.MissingField;
        }

        record.AddField(default, value);
        return null;
    }

    private static string? ReadKind(ref Utf8JsonReader reader, DecodedRecord record)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("counter"u8))
        {
            record.Kind = MetricKind.Counter;
            record.KindStated = true;
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("gauge"u8))
        {
            record.Kind = MetricKind.Gauge;
            record.KindStated = true;
            return null;
        }

        return reader.TokenType == JsonTokenType.Null ? null : RejectReasons.InvalidKind;
    }
}
