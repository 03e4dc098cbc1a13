using Forecaster.Worker.Options;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Sets the kind of the values whose record does not state it. A kind the record states wins: the canonical
/// <c>kind</c> when present, collectd's <c>dstypes</c>, OTLP's metric type. Otherwise a name in
/// <c>Ingest:CounterMetrics</c> or <c>Ingest:GaugeMetrics</c> decides (canonical without <c>kind</c>, Prometheus adapter,
/// Telegraf); else a Prometheus adapter name ending in one of <c>Ingest:CounterSuffixes</c> is a counter and one
/// ending in <c>_created</c> is left out (a creation timestamp, not a level: counted in
/// <c>forecaster_points_dropped_total{reason="created_series"}</c>, not dead-lettered); a Telegraf field named
/// <c>counter</c> (its prometheus input, metric_version 1) or whose own name ends in a counter suffix
/// (metric_version 2) is a counter. Telegraf's JSON serializer carries no value type, so nothing else tells.
/// </summary>
internal sealed class KindRules
{
    private readonly string[] _suffixes;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _counters;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _gauges;
    private readonly bool _hasNames;
    private char[] _name = new char[128];

    public KindRules(IngestOptions options)
    {
        _suffixes = Split(options.CounterSuffixes);
        var counters = new HashSet<string>(Split(options.CounterMetrics), StringComparer.Ordinal);
        var gauges = new HashSet<string>(Split(options.GaugeMetrics), StringComparer.Ordinal);
        _counters = counters.GetAlternateLookup<ReadOnlySpan<char>>();
        _gauges = gauges.GetAlternateLookup<ReadOnlySpan<char>>();
        _hasNames = counters.Count + gauges.Count > 0;
    }

    /// <summary>The entries of a comma-separated setting, trimmed, empty ones left out.</summary>
    public static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Sets each field's kind of a record decoded from <paramref name="format"/> (never Auto: the detected one).</summary>
    public void Apply(DecodedRecord record, InputFormat format)
    {
        if (record.KindStated || format is not (InputFormat.Canonical or InputFormat.Prometheus or InputFormat.Telegraf))
        {
            return;
        }

        for (var i = record.FieldCount - 1; i >= 0; i--)
        {
            var name = _hasNames || format == InputFormat.Prometheus ? Name(record, i) : default;
            if (_hasNames && _counters.Contains(name))
            {
                record.SetFieldKind(i, MetricKind.Counter);
            }
            else if (_hasNames && _gauges.Contains(name))
            {
                record.SetFieldKind(i, MetricKind.Gauge);
            }
            else if (format == InputFormat.Prometheus && name.EndsWith("_created", StringComparison.Ordinal))
            {
                record.RemoveField(i, SkipReasons.CreatedSeries);
            }
            else if (format == InputFormat.Prometheus && EndsWithSuffix(name))
            {
                record.SetFieldKind(i, MetricKind.Counter);
            }
            else if (format == InputFormat.Telegraf && (record.FieldSuffix(i) is "counter" || EndsWithSuffix(record.FieldSuffix(i))))
            {
                record.SetFieldKind(i, MetricKind.Counter);
            }
        }
    }

    private bool EndsWithSuffix(ReadOnlySpan<char> name)
    {
        foreach (var suffix in _suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The series' metric name: <c>metric</c>, or <c>metric_suffix</c> for a field with a suffix.</summary>
    private ReadOnlySpan<char> Name(DecodedRecord record, int field)
    {
        var metric = record.Text(record.Metric);
        var suffix = record.FieldSuffix(field);
        if (suffix.IsEmpty)
        {
            return metric;
        }

        var length = metric.Length + 1 + suffix.Length;
        if (_name.Length < length)
        {
            _name = new char[Math.Max(length, _name.Length * 2)];
        }

        metric.CopyTo(_name);
        _name[metric.Length] = '_';
        suffix.CopyTo(_name.AsSpan(metric.Length + 1));
        return _name.AsSpan(0, length);
    }
}
