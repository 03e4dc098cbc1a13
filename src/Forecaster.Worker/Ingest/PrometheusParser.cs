using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// The JSON of Prometheus-to-Kafka adapters:
/// <c>{"timestamp":"2025-11-25T20:00:00Z","value":"1532","name":"m","labels":{"__name__":"m","k":"v"}}</c>.
/// The value is a string (<c>NaN</c> and <c>+Inf</c> are refused as non-finite); <c>__name__</c> is dropped.
/// </summary>
internal static class PrometheusParser
{
    public static string? Parse(ref Utf8JsonReader reader, DecodedRecord record)
    {
        bool hasName = false, hasTs = false, hasValue = false;
        double value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? reason = null;
            if (reader.ValueTextEquals("name"u8))
            {
                reason = JsonPointReader.ReadMetricName(ref reader, record, out hasName);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadLabels(ref reader, record, dropName: true);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadTimestamp(ref reader, 1.0, out var ts);
                record.TimestampMs = ts;
                hasTs = true;
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                reason = JsonPointReader.ReadValue(ref reader, allowString: true, out value);
                hasValue = true;
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

        if (!hasName || !hasTs || !hasValue)
        {
            return RejectReasons.MissingField;
        }

        record.AddField(default, value);
        return null;
    }
}
