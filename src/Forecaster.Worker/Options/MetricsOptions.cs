namespace Forecaster.Worker.Options;

/// <summary>The <c>Metrics</c> section: opt-in forecast gauges for a few named series.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>At most this many series may be exported as gauges (each costs K × Q time series in Prometheus).</summary>
    public const int MaxForecastSeries = 100;

    /// <summary>Series ids (<c>metric{k="v",...}</c>, labels sorted) whose latest forecast is exported as <c>forecaster_forecast</c>.</summary>
    public List<string> ForecastSeries { get; set; } = [];

    /// <summary>A series' gauges are removed when it has not been forecast for this many seconds.</summary>
    [Duration(DurationUnit.Seconds)]
    public int ForecastGaugeTtlSeconds { get; set; } = 900;
}
