namespace Forecaster.Worker.Options;

/// <summary>The <c>Ingest</c> section: input formats and the limits that send a record to the dead letters.</summary>
internal sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Format of topics not listed in <see cref="TopicFormats"/>.</summary>
    public InputFormat DefaultFormat { get; set; } = InputFormat.Auto;

    /// <summary>Format per input topic name.</summary>
    public Dictionary<string, InputFormat> TopicFormats { get; set; } = [];

    /// <summary>Longest series id (<c>metric{k="v",...}</c>) in UTF-16 characters.</summary>
    public int MaxSeriesIdLength { get; set; } = 512;
    public int MaxLabels { get; set; } = 32;

    /// <summary>A point stamped further than this ahead of the clock is refused.</summary>
    [Duration(DurationUnit.Seconds)]
    public int MaxFutureSkewSeconds { get; set; } = 600;

    /// <summary>A point older than this (seconds before now) is refused; 0 accepts any age after 2000-01-01.</summary>
    [Duration(DurationUnit.Seconds)]
    public long MaxAgeSeconds { get; set; }

    /// <summary>OTLP resource and scope attributes kept as labels: comma-separated keys, <c>*</c> for all (point attributes are always kept).</summary>
    public string OtlpLabelAllowList { get; set; } = Ingest.Otlp.OtlpLabelFilter.DefaultAllowList;

    /// <summary>
    /// Mirrors <c>StoreRates</c> of collectd's <c>write_kafka</c> (true there by default): true, derive, counter and absolute
    /// values arrive as per-second rates already and are taken as gauges; false, derive and counter arrive raw and are
    /// counters (the worker takes their rate), absolute values are divided by the interval.
    /// </summary>
    public bool CollectdStoreRates { get; set; } = true;

    /// <summary>
    /// Comma-separated metric-name endings that mark a counter in the formats that carry no type (Prometheus adapter:
    /// the whole name; Telegraf: the field name); empty disables. Default: Prometheus' conventions.
    /// </summary>
    public string CounterSuffixes { get; set; } = "_total,_count,_sum,_bucket";

    /// <summary>Comma-separated metric names (with a Telegraf field: <c>name_field</c>) taken as counters where the record states no kind (see <c>KindRules</c>).</summary>
    public string CounterMetrics { get; set; } = "";

    /// <summary>Comma-separated metric names taken as gauges where the record states no kind (and a Prometheus <c>_created</c> series listed here is kept). A name in both lists is refused at start.</summary>
    public string GaugeMetrics { get; set; } = "";

    /// <summary>
    /// True: every record is processed in the shard of its input partition, as keyed by its producer. False (the
    /// default): a point whose series id is not its record's key (an unkeyed record, or one keyed otherwise) is
    /// re-produced to <c>Kafka:RepartitionTopic</c> keyed by its series id, so each series lives in one shard.
    /// </summary>
    public bool TrustKeys { get; set; }

    /// <summary>
    /// Whether a record of a known series is read by its tail when it starts with the bytes of the series' last one
    /// (<see cref="Processing.KnownIdentities"/>). Always on in the worker; not a setting: tests turn it off to show that
    /// the outcome is the same.
    /// </summary>
    internal bool ReadKnownIdentities { get; init; } = true;

    public InputFormat FormatOf(string topic) =>
        TopicFormats.TryGetValue(topic, out var format) ? format : DefaultFormat;
}
