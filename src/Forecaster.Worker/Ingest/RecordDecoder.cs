using System.Text.Json;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Bytes in, a <see cref="DecodedRecord"/> or a reject reason out. Picks the parser for the topic's
/// format (or detects it), sets each value's kind (<see cref="KindRules"/>), then applies the limits: label count,
/// series id length, timestamp window.
/// Reused for every record; not thread-safe.
/// </summary>
internal sealed class RecordDecoder
{
    /// <summary>2000-01-01: anything earlier is taken for seconds sent as milliseconds.</summary>
    private const long EarliestTimestampMs = 946_684_800_000;

    private readonly IngestOptions _options;
    private readonly KindRules _kinds;
    private readonly CollectdParser _collectd = new();

    public RecordDecoder(IngestOptions options)
    {
        _options = options;
        _kinds = new KindRules(options);
    }

    public DecodedRecord Record { get; } = new();
    public SeriesIdBuilder Ids { get; } = new();

    /// <summary>Decodes one record value; returns null when it is a valid point, else the reason.</summary>
    public string? Decode(ReadOnlySpan<byte> value, InputFormat format, long nowMs)
    {
        Record.Clear(value.Length);
        string? reason;
        try
        {
            if (format == InputFormat.Auto)
            {
                format = Detect(value);
            }

            reason = format switch
            {
                InputFormat.Auto => RejectReasons.UnknownFormat,
                InputFormat.Collectd => _collectd.Parse(value, Record, _options.CollectdStoreRates),
                _ => Parse(value, format),
            };
        }
        catch (JsonException)
        {
            return RejectReasons.MalformedJson;
        }

        if (reason is not null)
        {
            return reason;
        }

        _kinds.Apply(Record, format);
        return CheckLimits(nowMs);
    }

    private string? Parse(ReadOnlySpan<byte> value, InputFormat format)
    {
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return RejectReasons.MalformedJson;
        }

        var reason = format switch
        {
            InputFormat.Canonical => CanonicalParser.Parse(ref reader, Record),
            InputFormat.Prometheus => PrometheusParser.Parse(ref reader, Record),
            InputFormat.Telegraf => TelegrafParser.Parse(ref reader, Record),
            _ => RejectReasons.UnknownFormat,
        };

        // A second top-level value (or trailing garbage) throws here.
        return reason is null && reader.Read() ? RejectReasons.MalformedJson : reason;
    }

    /// <summary>
    /// Looks at the top-level property names only: fields → Telegraf, metric → canonical, name → Prometheus; an array
    /// whose first object has dstypes → collectd.
    /// </summary>
    private static InputFormat Detect(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && HasProperty(ref reader, "dstypes"u8)
                ? InputFormat.Collectd
                : InputFormat.Auto;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        bool fields = false, metric = false, name = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            fields |= reader.ValueTextEquals("fields"u8);
            metric |= reader.ValueTextEquals("metric"u8);
            name |= reader.ValueTextEquals("name"u8);
            reader.Read();
            reader.Skip();
        }

        return fields ? InputFormat.Telegraf : metric ? InputFormat.Canonical : name ? InputFormat.Prometheus : InputFormat.Auto;
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

    private string? CheckLimits(long nowMs)
    {
        if (Record.LabelCount > _options.MaxLabels)
        {
            return RejectReasons.TooManyLabels;
        }

        var ts = Record.TimestampMs;
        if (ts > nowMs + (_options.MaxFutureSkewSeconds * 1000L))
        {
            return RejectReasons.TimestampInFuture;
        }

        if (ts < EarliestTimestampMs || (_options.MaxAgeSeconds > 0 && ts < nowMs - (_options.MaxAgeSeconds * 1000L)))
        {
            return RejectReasons.TimestampTooOld;
        }

        Record.SortLabels();
        for (var i = 0; i < Record.FieldCount; i++)
        {
            if (Ids.Build(Record, i).Length > _options.MaxSeriesIdLength)
            {
                return RejectReasons.KeyTooLarge;
            }
        }

        return null;
    }
}
