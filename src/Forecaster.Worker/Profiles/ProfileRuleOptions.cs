namespace Forecaster.Worker.Profiles;

/// <summary>
/// One rule of the <c>Profiles</c> section, as configured: which series it takes (a metric-name glob and a glob per
/// label) and what it sets for them. Every setting left out is the default profile's (<see cref="ProfileSet"/>).
/// Strings throughout, so that a bad value is reported as one line naming it rather than by the binder.
/// </summary>
internal sealed class ProfileRuleOptions
{
    /// <summary>Written into every forecast record of the series it takes; unique, and not "default".</summary>
    public string? Name { get; set; }

    /// <summary>Glob over the metric name (<see cref="Glob"/>); absent or empty: every metric.</summary>
    public string? Metric { get; set; }

    /// <summary>Label name to a glob over its value; a series without the label has the value "" (as in PromQL).</summary>
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>The model step (<c>"5m"</c>): raw points finer than it are aggregated into buckets of it.</summary>
    public string? Step { get; set; }

    /// <summary>How a gauge's raw points in one bucket become its value: mean, last, min, max or sum.</summary>
    public string? Aggregation { get; set; }

    /// <summary>gauge or counter, overriding what the record and the Ingest rules say.</summary>
    public string? Kind { get; set; }

    /// <summary>Seasons in time (<c>["1d", "1w"]</c>), turned into steps of the series' step.</summary>
    public string[]? Seasons { get; set; }

    /// <summary>The horizon in time (<c>"1h"</c>), rounded up to whole steps.</summary>
    public string? Horizon { get; set; }

    /// <summary>Ascending levels in (0, 1), including 0.5.</summary>
    public float[]? QuantileLevels { get; set; }

    /// <summary>IANA time zone (<c>"Europe/Berlin"</c>) whose local days and weeks the seasonal phases follow; absent: UTC.</summary>
    public string? TimeZone { get; set; }
}
