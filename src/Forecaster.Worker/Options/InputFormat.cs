namespace Forecaster.Worker.Options;

/// <summary>The shape of the records on an input topic.</summary>
internal enum InputFormat
{
    /// <summary>Detect canonical, Prometheus adapter, Telegraf, collectd or OTLP JSON from the record's fields (OTLP protobuf is never guessed).</summary>
    Auto,

    /// <summary><c>{"metric","labels","ts","value","kind"}</c>.</summary>
    Canonical,

    /// <summary>Prometheus-to-Kafka adapter: <c>{"name","labels","timestamp","value"}</c>, value a string.</summary>
    Prometheus,

    /// <summary>Telegraf JSON serializer: <c>{"name","tags","fields","timestamp"}</c>, timestamp in seconds.</summary>
    Telegraf,

    /// <summary>OTLP <c>ExportMetricsServiceRequest</c> in protobuf: the Collector Kafka exporter's <c>otlp_proto</c> (its default).</summary>
    OtlpProto,

    /// <summary>OTLP <c>ExportMetricsServiceRequest</c> in the OTLP JSON encoding: the Collector Kafka exporter's <c>otlp_json</c>.</summary>
    OtlpJson,

    /// <summary>collectd's <c>write_kafka</c> with <c>Format JSON</c>: <c>[{"values","dstypes","dsnames","time","interval","host","plugin",...}]</c>.</summary>
    Collectd,
}
