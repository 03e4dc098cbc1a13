namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>collectd's data source types, as <c>dstypes</c> names them.</summary>
internal enum DataSourceType : byte
{
    Gauge,
    Derive,
    Counter,
    Absolute,
}
