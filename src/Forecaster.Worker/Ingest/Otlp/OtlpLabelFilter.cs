namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// Which resource and scope attributes become labels (<c>Ingest:OtlpLabelAllowList</c>, comma-separated
/// attribute keys; <c>*</c> keeps every one). Point attributes are always kept: they are the instrument's
/// dimensions. Also rewrites names into the Prometheus character set, as the Collector's Prometheus exporter does.
/// </summary>
internal sealed class OtlpLabelFilter
{
    /// <summary>Stable identity of a service and where it runs; not <c>service.instance.id</c>, <c>process.pid</c> or <c>host.id</c>, which change on every restart.</summary>
    public const string DefaultAllowList =
        "service.name,service.namespace,deployment.environment,deployment.environment.name,host.name,cloud.region,"
        + "k8s.cluster.name,k8s.namespace.name,k8s.deployment.name,k8s.statefulset.name,k8s.daemonset.name,k8s.container.name";

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _allowed;
    private readonly bool _all;

    public OtlpLabelFilter(string allowList)
    {
        var keys = allowList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        _all = keys.Contains("*");
        _allowed = new HashSet<string>(keys, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool Allows(ReadOnlySpan<char> key) => _all || _allowed.Contains(key);

    /// <summary>Label names keep <c>[A-Za-z0-9_]</c>; anything else (the dots of OTel attribute keys) becomes <c>_</c>.</summary>
    public static void SanitizeLabel(Span<char> name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(name[i]) && name[i] != '_')
            {
                name[i] = '_';
            }
        }
    }

    /// <summary>Metric names also keep <c>:</c>.</summary>
    public static void SanitizeMetric(Span<char> name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(name[i]) && name[i] is not '_' and not ':')
            {
                name[i] = '_';
            }
        }
    }
}
