namespace Forecaster.Worker.Ingest;

/// <summary>A gauge is forecast as is; a counter is turned into a per-second rate first.</summary>
internal enum MetricKind
{
    Gauge,
    Counter,
}
