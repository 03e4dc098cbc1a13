namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>collectd's data source types, as <c>dstypes</c> names them.</summary>
internal enum DataSourceType : byte
{
    Gauge,
    Derive,
    Counter,
    Absolute,

    /// <summary>A <c>dstypes</c> entry collectd does not define: that value alone is refused (<c>invalid_kind</c>).</summary>
    Unknown,
}
