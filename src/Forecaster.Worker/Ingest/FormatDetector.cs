using System.Text.Json;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Tells the JSON formats apart by their top-level shape (<see cref="InputFormat.Auto"/>): an object with
/// resourceMetrics → OTLP JSON, fields → Telegraf, metric → canonical, name (without fields) → Prometheus adapter;
/// an array whose first object has dstypes → collectd. Only an unambiguous record is detected: one whose object has
/// the marks of two formats (say metric and fields), or none, is <see cref="InputFormat.Auto"/> (refused as
/// <c>unknown_format</c>). Bytes that are not JSON text (not starting as an object or array, or holding control bytes)
/// are never guessed either: OTLP protobuf (or anything else binary) on an <c>Auto</c> topic is <c>unknown_format</c>,
/// not malformed JSON; set the topic's format.
/// </summary>
internal static class FormatDetector
{
    /// <summary>The detected format, or Auto when none is clear; throws <see cref="JsonException"/> for broken JSON.</summary>
    public static InputFormat Detect(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || value[start] is not ((byte)'{' or (byte)'[') || HoldsControlBytes(value))
        {
            return InputFormat.Auto;
        }

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

        var prometheus = name && !fields; // Telegraf has a name too
        var marks = (otlp ? 1 : 0) + (fields ? 1 : 0) + (metric ? 1 : 0) + (prometheus ? 1 : 0);
        return marks != 1 ? InputFormat.Auto
            : otlp ? InputFormat.OtlpJson
            : fields ? InputFormat.Telegraf
            : metric ? InputFormat.Canonical
            : InputFormat.Prometheus;
    }

    /// <summary>
    /// Whether the bytes hold a control character other than tab, CR or LF: JSON text never does (inside strings they
    /// are escaped), protobuf nearly always does (its tags and short lengths: 0x12 is field 2, length-delimited). A
    /// protobuf record can start with bytes that look like <c>\n[</c>, so the first byte alone does not tell.
    /// </summary>
    private static bool HoldsControlBytes(ReadOnlySpan<byte> value)
    {
        int at;
        while ((at = value.IndexOfAnyInRange((byte)0, (byte)0x1F)) >= 0)
        {
            if (value[at] is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return true;
            }

            value = value[(at + 1)..];
        }

        return false;
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
