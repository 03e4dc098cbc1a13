namespace Forecaster.Worker.Ingest;

/// <summary>Why a value of a valid record was left out (counted as a dropped point, not dead-lettered): the <c>reason</c> label values.</summary>
internal static class SkipReasons
{
    /// <summary>collectd writes <c>null</c> for a value it does not know (NaN), e.g. the first rate of a derive.</summary>
    public const string NullValue = "null_value";

    /// <summary>A Prometheus <c>*_created</c> series: the creation time of a counter, a timestamp, not a level to forecast.</summary>
    public const string CreatedSeries = "created_series";

    /// <summary>Every reason, for pre-creating metric children.</summary>
    public static readonly string[] All = [NullValue, CreatedSeries];
}
