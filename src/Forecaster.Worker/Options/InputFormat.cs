namespace Forecaster.Worker.Options;

/// <summary>The JSON shape of the records on an input topic.</summary>
internal enum InputFormat
{
    /// <summary>Detect canonical, Prometheus adapter, Telegraf or collectd from the record's fields.</summary>
    Auto,

    /// <summary><c>{"metric","labels","ts","value","kind"}</c>.</summary>
    Canonical,

    /// <summary>Prometheus-to-Kafka adapter: <c>{"name","labels","timestamp","value"}</c>, value a string.</summary>
    Prometheus,

    /// <summary>Telegraf JSON serializer: <c>{"name","tags","fields","timestamp"}</c>, timestamp in seconds.</summary>
    Telegraf,

    /// <summary>collectd's <c>write_kafka</c> with <c>Format JSON</c>: <c>[{"values","dstypes","dsnames","time","interval","host","plugin",...}]</c>.</summary>
    Collectd,
}
