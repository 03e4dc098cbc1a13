using System.Globalization;
using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>Token-level readers shared by the input formats; each returns a reject reason or null.</summary>
internal static class JsonPointReader
{
    /// <summary>Reads a <c>{"k":"v",...}</c> object of string values into the record's labels.</summary>
    public static string? ReadLabels(ref Utf8JsonReader reader, DecodedRecord record, bool dropName)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RejectReasons.MalformedJson;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = dropName && reader.ValueTextEquals("__name__"u8);
            var key = record.AppendString(ref reader);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return RejectReasons.MalformedJson;
            }

            var value = record.AppendString(ref reader);
            if (!isName)
            {
                record.AddLabel(key, value);
            }
        }

        return null;
    }

    /// <summary>A JSON number, or with <paramref name="allowString"/> a number written as a string.</summary>
    public static string? ReadValue(ref Utf8JsonReader reader, bool allowString, out double value)
    {
        value = double.NaN;
        if (reader.TokenType == JsonTokenType.Number)
        {
            return !reader.TryGetDouble(out value) || !double.IsFinite(value) ? RejectReasons.NonFiniteValue : Range(value);
        }

        if (reader.TokenType != JsonTokenType.String || !allowString || reader.HasValueSequence || reader.ValueIsEscaped)
        {
            return RejectReasons.NonNumericValue;
        }

        var text = reader.ValueSpan;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return IsInfinityOrNaN(text) ? RejectReasons.NonFiniteValue : RejectReasons.NonNumericValue;
        }

        return double.IsFinite(value) ? Range(value) : RejectReasons.NonFiniteValue;
    }

    /// <summary>Null when the finite <paramref name="value"/> is representable as the float the series keep; else <see cref="RejectReasons.ValueOutOfRange"/>.</summary>
    public static string? Range(double value) => float.IsFinite((float)value) ? null : RejectReasons.ValueOutOfRange;

    /// <summary>Epoch milliseconds from a number in <paramref name="unitMs"/> units or an ISO-8601 string.</summary>
    public static string? ReadTimestamp(ref Utf8JsonReader reader, double unitMs, out long timestampMs)
    {
        timestampMs = 0;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                return RejectReasons.InvalidTimestamp;
            }

            var ms = number * unitMs;
            if (ms is < -1e15 or > 1e15)
            {
                return RejectReasons.InvalidTimestamp;
            }

            timestampMs = (long)Math.Floor(ms);
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var time))
        {
            timestampMs = time.ToUnixTimeMilliseconds();
            return null;
        }

        return RejectReasons.InvalidTimestamp;
    }

    /// <summary>Telegraf's timestamp unit is configurable; its magnitude tells s, ms, us or ns apart.</summary>
    public static double EpochUnitMs(double number) => Math.Abs(number) switch
    {
        < 1e11 => 1000.0,
        < 1e14 => 1.0,
        < 1e17 => 1e-3,
        _ => 1e-6,
    };

    private static bool IsInfinityOrNaN(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && (text[0] == (byte)'+' || text[0] == (byte)'-'))
        {
            text = text[1..];
        }

        return System.Text.Ascii.EqualsIgnoreCase(text, "inf"u8)
            || System.Text.Ascii.EqualsIgnoreCase(text, "infinity"u8)
            || System.Text.Ascii.EqualsIgnoreCase(text, "nan"u8);
    }

    /// <summary>Reads the metric name after its property name: a string, present when not empty; otherwise a reject reason.</summary>
    public static string? ReadMetricName(ref Utf8JsonReader reader, DecodedRecord record, out bool present)
    {
        reader.Read();
        present = false;
        if (reader.TokenType != JsonTokenType.String)
        {
            return RejectReasons.MissingField;
        }

        record.Metric = record.AppendString(ref reader);
        present = record.Metric.Length > 0;
        return null;
    }
}
