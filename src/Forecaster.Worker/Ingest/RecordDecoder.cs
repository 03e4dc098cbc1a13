using System.Text.Json;
using Forecaster.Worker.Ingest.Otlp;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Bytes in, a <see cref="DecodedRecord"/> or a reject reason out. Picks the parser for the topic's
/// format (or detects it), then applies the limits: label count, series id length, timestamp window.
/// A record holds <see cref="PointCount"/> points: one for the JSON point formats (loaded by <see cref="Decode"/>),
/// any number for OTLP, each loaded by <see cref="LoadPoint"/> and checked on its own.
/// Reused for every record; not thread-safe.
/// </summary>
internal sealed class RecordDecoder
{
    /// <summary>2000-01-01: anything earlier is taken for seconds sent as milliseconds.</summary>
    private const long EarliestTimestampMs = 946_684_800_000;

    private readonly IngestOptions _options;
    private readonly OtlpDecoder _otlp;
    private bool _multiPoint;

    public RecordDecoder(IngestOptions options)
    {
        _options = options;
        _otlp = new OtlpDecoder(new OtlpLabelFilter(options.OtlpLabelAllowList));
    }

    public DecodedRecord Record { get; } = new();
    public SeriesIdBuilder Ids { get; } = new();

    /// <summary>Points in the record last decoded (0 when it was refused whole).</summary>
    public int PointCount { get; private set; }

    /// <summary>Whether that record is of a format that carries many points (OTLP): its dead letter names the failing points.</summary>
    public bool IsMultiPoint => _multiPoint;

    /// <summary>Decodes one record value; returns null when it is usable (see <see cref="PointCount"/>), else the reason it is refused whole.</summary>
    public string? Decode(ReadOnlySpan<byte> value, InputFormat format, long nowMs)
    {
        Record.Clear(value.Length);
        PointCount = 0;
        _multiPoint = false;
        string? reason;
        try
        {
            if (format == InputFormat.Auto)
            {
                format = Detect(value);
            }

            if (format is InputFormat.OtlpProto or InputFormat.OtlpJson)
            {
                _multiPoint = true;
                reason = _otlp.Index(value, format == InputFormat.OtlpJson);
                PointCount = _otlp.PointCount;
                return reason;
            }

            reason = format == InputFormat.Auto ? RejectReasons.UnknownFormat : Parse(value, format);
        }
        catch (JsonException)
        {
            return RejectReasons.MalformedJson;
        }

        reason ??= CheckLimits(nowMs);
        PointCount = reason is null ? 1 : 0;
        return reason;
    }

    /// <summary>Loads point <paramref name="point"/> of the record last decoded (the same <paramref name="value"/>) into <see cref="Record"/>; null when usable, else why that point alone is refused.</summary>
    public string? LoadPoint(ReadOnlySpan<byte> value, int point, long nowMs)
    {
        if (!_multiPoint)
        {
            return null; // Decode loaded and checked the record's only point
        }

        var reason = _otlp.Fill(value, point, Record);
        return reason ?? (Record.FieldCount == 0 ? null : CheckLimits(nowMs));
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

    /// <summary>Looks at the top-level property names only: resourceMetrics → OTLP JSON, fields → Telegraf, metric → canonical, name → Prometheus.</summary>
    private static InputFormat Detect(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
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
