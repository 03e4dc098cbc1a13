using System.Text.Json;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Tells the JSON formats apart by their top-level shape (<see cref="InputFormat.Auto"/>): an object with
/// resourceMetrics → OTLP JSON, fields → Telegraf, metric → canonical, name → Prometheus; an array whose first
/// object has dstypes → collectd. Protobuf is never guessed.
/// </summary>
internal static class FormatDetector
{
    public static InputFormat Detect(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("an array not of objects");
            }

            return HasProperty(ref reader, "dstypes"u8) ? InputFormat.Collectd : InputFormat.Auto;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        bool fields = false, metric = false, name = false, otlp = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            otlp |= reader.ValueTextEquals("resourceMetrics"u8);
            fields |= reader.ValueTextEquals("fields"u8);
            metric |= reader.ValueTextEquals("metric"u8);
            name |= reader.ValueTextEquals("name"u8);
            reader.Read();
            reader.Skip();
        }

        return otlp ? InputFormat.OtlpJson : fields ? InputFormat.Telegraf : metric ? InputFormat.Canonical : name ? InputFormat.Prometheus : InputFormat.Auto;
    }

    private static bool HasProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }
}
