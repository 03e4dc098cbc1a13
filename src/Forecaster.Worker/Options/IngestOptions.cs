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

    public InputFormat FormatOf(string topic) =>
        TopicFormats.TryGetValue(topic, out var format) ? format : DefaultFormat;
}
