namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// First pass over an <c>ExportMetricsServiceRequest</c> in protobuf: walks resource metrics, scope metrics
/// and metrics by the field numbers of opentelemetry-proto (collector/metrics/v1, metrics/v1) and indexes
/// each data point without reading it. A framing error anywhere throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class OtlpProtoIndexer
{
    public static void Index(ReadOnlySpan<byte> all, OtlpIndex index)
    {
        var request = new ProtoReader(all, 0, all.Length);
        while (request.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.Len) // resource_metrics
            {
                var (start, length) = request.ReadLength();
                Level(all, start, length, index, resource: true);
            }
            else
            {
                request.Skip(wire);
            }
        }
    }

    /// <summary>
    /// ResourceMetrics and ScopeMetrics share one layout: field 1 is a header (the resource, the scope) that applies to
    /// every metric inside, wherever it sits; field 2 holds the children (scope metrics, metrics).
    /// </summary>
    private static void Level(ReadOnlySpan<byte> all, int start, int length, OtlpIndex index, bool resource)
    {
        var first = index.MetricCount;
        var reader = new ProtoReader(all, start, length);
        int at = -1, size = 0;
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (wire != ProtoReader.Len)
            {
                reader.Skip(wire);
                continue;
            }

            var (s, l) = reader.ReadLength();
            if (field == 1) // resource or scope
            {
                (at, size) = (s, l);
            }
            else if (field == 2 && resource) // scope_metrics
            {
                Level(all, s, l, index, resource: false);
            }
            else if (field == 2) // metrics
            {
                Metric(all, s, l, index);
            }
        }

        if (resource)
        {
            index.SetResource(first, at, size);
        }
        else
        {
            index.SetScope(first, at, size);
        }
    }

    private static void Metric(ReadOnlySpan<byte> all, int start, int length, OtlpIndex index)
    {
        var metric = index.AddMetric(-1, 0, -1, 0);
        var reader = new ProtoReader(all, start, length);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (wire != ProtoReader.Len)
            {
                reader.Skip(wire);
                continue;
            }

            var (s, l) = reader.ReadLength();
            OtlpShape? shape = field switch
            {
                1 => null,
                5 => OtlpShape.Gauge,
                7 => OtlpShape.Sum,
                9 => OtlpShape.Histogram,
                10 => OtlpShape.ExponentialHistogram,
                11 => OtlpShape.Summary,
                _ => null,
            };
            if (field == 1)
            {
                index.Metric(metric).NameStart = s;
                index.Metric(metric).NameLength = l;
            }
            else if (shape is { } data)
            {
                index.Metric(metric).Shape = data;
                Data(all, s, l, metric, index);
            }
        }
    }

    /// <summary>Gauge, Sum, Histogram, ExponentialHistogram or Summary: data_points = 1, aggregation_temporality = 2, is_monotonic = 3.</summary>
    private static void Data(ReadOnlySpan<byte> all, int start, int length, int metric, OtlpIndex index)
    {
        var reader = new ProtoReader(all, start, length);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.Len)
            {
                var (s, l) = reader.ReadLength();
                index.AddPoint(metric, s, l);
            }
            else if (field == 2 && wire == ProtoReader.Varint)
            {
                index.Metric(metric).Temporality = (int)reader.ReadVarint();
            }
            else if (field == 3 && wire == ProtoReader.Varint)
            {
                index.Metric(metric).Monotonic = reader.ReadVarint() != 0;
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }
}
