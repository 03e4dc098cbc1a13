namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>The kind of data a metric carries (the <c>Metric.data</c> oneof).</summary>
internal enum OtlpShape
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}

/// <summary>One metric of a request: where its resource, scope and name sit in the record, and how its points aggregate.</summary>
internal struct OtlpMetricRef
{
    public int ResourceStart;
    public int ResourceLength;
    public int ScopeStart;
    public int ScopeLength;
    public int NameStart;
    public int NameLength;
    public OtlpShape Shape;

    /// <summary>OTLP's AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative.</summary>
    public int Temporality;
    public bool Monotonic;
}

/// <summary>One data point: its metric and where its message (or JSON object) sits in the record.</summary>
internal readonly record struct OtlpPointRef(int Metric, int Start, int Length);

/// <summary>
/// The first pass over an OTLP record: every metric and data point, by position, in the record's order
/// (resource, scope, metric, point). Reused for every record; grows, then allocates nothing.
/// </summary>
internal sealed class OtlpIndex
{
    public const int TemporalityDelta = 1;
    public const int TemporalityCumulative = 2;

    private OtlpMetricRef[] _metrics = new OtlpMetricRef[16];
    private OtlpPointRef[] _points = new OtlpPointRef[64];

    public int MetricCount { get; private set; }
    public int PointCount { get; private set; }

    public ref OtlpMetricRef Metric(int i) => ref _metrics[i];
    public OtlpPointRef Point(int i) => _points[i];

    public void Clear() => MetricCount = PointCount = 0;

    public int AddMetric(int resourceStart, int resourceLength, int scopeStart, int scopeLength)
    {
        if (MetricCount == _metrics.Length)
        {
            Array.Resize(ref _metrics, MetricCount * 2);
        }

        _metrics[MetricCount] = new OtlpMetricRef
        {
            ResourceStart = resourceStart,
            ResourceLength = resourceLength,
            ScopeStart = scopeStart,
            ScopeLength = scopeLength,
            NameStart = -1,
        };
        return MetricCount++;
    }

    public void AddPoint(int metric, int start, int length)
    {
        if (PointCount == _points.Length)
        {
            Array.Resize(ref _points, PointCount * 2);
        }

        _points[PointCount++] = new OtlpPointRef(metric, start, length);
    }

    /// <summary>Sets the resource of metrics <paramref name="from"/>.. (in JSON it may follow them).</summary>
    public void SetResource(int from, int start, int length)
    {
        for (var i = from; i < MetricCount; i++)
        {
            _metrics[i].ResourceStart = start;
            _metrics[i].ResourceLength = length;
        }
    }

    /// <summary>Sets the scope of metrics <paramref name="from"/>.. (in JSON it may follow them).</summary>
    public void SetScope(int from, int start, int length)
    {
        for (var i = from; i < MetricCount; i++)
        {
            _metrics[i].ScopeStart = start;
            _metrics[i].ScopeLength = length;
        }
    }
}
