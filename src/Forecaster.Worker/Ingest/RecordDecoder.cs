using System.Text.Json;
using Forecaster.Worker.Ingest.Collectd;
using Forecaster.Worker.Ingest.Otlp;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Bytes in, a <see cref="DecodedRecord"/> or a reject reason out. Picks the parser for the topic's format (or
/// detects it: <see cref="FormatDetector"/>; a plain canonical point on an Auto or canonical topic is read by
/// <see cref="PlainCanonicalParser"/> instead, with the same result, at a fraction of the cost), sets each value's kind (<see cref="KindRules"/>), then applies the
/// limits: label count and timestamp window to the point, series id length to each field.
/// A record holds <see cref="PointCount"/> points: one for the JSON formats (loaded by <see cref="Decode"/>; Telegraf
/// and collectd put several fields in it), any number for OTLP, each loaded by <see cref="LoadPoint"/> and checked on
/// its own. A field that cannot be used is marked refused (<see cref="RecordFields.Refusal"/>) and the others go through.
/// Reused for every record; not thread-safe.
/// </summary>
internal sealed class RecordDecoder
{
    /// <summary>2000-01-01: anything earlier is taken for seconds sent as milliseconds.</summary>
    private const long EarliestTimestampMs = 946_684_800_000;

    private readonly IngestOptions _options;
    private readonly OtlpDecoder _otlp;
    private readonly KindRules _kinds;
    private readonly CollectdParser _collectd = new();
    private InputFormat _format;

    public RecordDecoder(IngestOptions options)
    {
        _options = options;
        _otlp = new OtlpDecoder(new OtlpLabelFilter(options.OtlpLabelAllowList));
        _kinds = new KindRules(options);
    }

    public DecodedRecord Record { get; } = new();
    public SeriesIdBuilder Ids { get; } = new();

    /// <summary>Points in the record last decoded (0 when it was refused whole).</summary>
    public int PointCount { get; private set; }

    /// <summary>
    /// Whether the record last decoded carries many values (OTLP, or several fields): its dead letter then names the
    /// failing ones in <c>forecaster.points</c> as <c>index:reason</c>, the index being the OTLP data point's, the
    /// collectd value's in <c>values</c> or the Telegraf field's in <c>fields</c>.
    /// </summary>
    public bool NamesPoints => _format is InputFormat.OtlpProto or InputFormat.OtlpJson || Record.FieldCount + Record.Fields.SkippedCount > 1;

    /// <summary>Decodes one record value; returns null when it is usable (see <see cref="PointCount"/>), else the reason it is refused whole.</summary>
    public string? Decode(ReadOnlySpan<byte> value, InputFormat format, long nowMs)
    {
        Record.Clear(value.Length);
        Record.Position = 0;
        PointCount = 0;
        string? reason = null;
        if (format is InputFormat.Auto or InputFormat.Canonical && PlainCanonicalParser.TryParse(value, Record))
        {
            _format = InputFormat.Canonical; // what the detector says of every record the plain parser takes
        }
        else
        {
            Record.Clear(value.Length); // whatever the plain attempt wrote
            reason = DecodeFull(value, format);
            if (_format is InputFormat.OtlpProto or InputFormat.OtlpJson)
            {
                return reason; // its points are loaded and checked one by one
            }
        }

        reason ??= Finish(nowMs);
        PointCount = reason is null ? 1 : 0;
        return reason;
    }

    /// <summary>Detects the format (when Auto) and parses with the full JSON reader; OTLP is indexed, its points loaded later.</summary>
    private string? DecodeFull(ReadOnlySpan<byte> value, InputFormat format)
    {
        string? reason;
        try
        {
            _format = format == InputFormat.Auto ? FormatDetector.Detect(value) : format;
            if (_format is InputFormat.OtlpProto or InputFormat.OtlpJson)
            {
                reason = _otlp.Index(value, _format == InputFormat.OtlpJson);
                PointCount = _otlp.PointCount;
                return reason;
            }

            reason = _format switch
            {
                InputFormat.Auto => RejectReasons.UnknownFormat,
                InputFormat.Collectd => _collectd.Parse(value, Record, _options.CollectdStoreRates),
                _ => Parse(value, _format),
            };
        }
        catch (JsonException)
        {
            return RejectReasons.MalformedJson;
        }

        return reason;
    }

    /// <summary>Loads point <paramref name="point"/> of the record last decoded (the same <paramref name="value"/>) into <see cref="Record"/>; null when usable, else why that point alone is refused.</summary>
    public string? LoadPoint(ReadOnlySpan<byte> value, int point, long nowMs)
    {
        if (_format is not (InputFormat.OtlpProto or InputFormat.OtlpJson))
        {
            return null; // Decode loaded and checked the record's only point
        }

        Record.Position = point;
        var reason = _otlp.Fill(value, point, Record);
        return reason ?? (Record.FieldCount == 0 ? null : Finish(nowMs));
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
    /// Reads the rest of a plain canonical record whose first <paramref name="identityLength"/> bytes are known to be
    /// those of a record <see cref="Decode"/> took (see <see cref="PlainCanonicalParser.TryParseTail"/>): true when
    /// <see cref="Decode"/> would take this one too, with this timestamp and value. Everything else the limits check
    /// follows from the identity; false sends the record to <see cref="Decode"/>.
    /// </summary>
    public bool TryReadTail(ReadOnlySpan<byte> value, int identityLength, long nowMs, out long timestampMs, out double pointValue) =>
        PlainCanonicalParser.TryParseTail(value[identityLength..], out timestampMs, out pointValue)
        && TimestampRefusal(timestampMs, nowMs) is null;

    /// <summary>Why a point at <paramref name="ts"/> is refused at wall-clock time <paramref name="nowMs"/>, or null.</summary>
    private string? TimestampRefusal(long ts, long nowMs)
    {
        if (ts > nowMs + (_options.MaxFutureSkewSeconds * 1000L))
        {
            return RejectReasons.TimestampInFuture;
        }

        return ts < EarliestTimestampMs || (_options.MaxAgeSeconds > 0 && ts < nowMs - (_options.MaxAgeSeconds * 1000L))
            ? RejectReasons.TimestampTooOld
            : null;
    }

    /// <summary>The kinds, then the limits; null when the point is usable (some of its fields may be refused).</summary>
    private string? Finish(long nowMs)
    {
        _kinds.Apply(Record, _format);
        if (Record.LabelCount > _options.MaxLabels)
        {
            return RejectReasons.TooManyLabels;
        }

        var late = TimestampRefusal(Record.TimestampMs, nowMs);
        if (late is not null)
        {
            return late;
        }

        Record.SortLabels();
        var usable = 0;
        for (var i = 0; i < Record.FieldCount; i++)
        {
            if (Record.Fields.Refusal(i) is null && Ids.Build(Record, i).Length > _options.MaxSeriesIdLength)
            {
                Record.Fields.Refuse(i, RejectReasons.KeyTooLarge);
            }

            usable += Record.Fields.Refusal(i) is null ? 1 : 0;
        }

        // A one-value record whose value is refused is refused whole: the same dead letter as before fields could fail alone.
        return usable == 0 && Record.FieldCount == 1 && Record.Fields.SkippedCount == 0 ? Record.Fields.Refusal(0) : null;
    }
}
