using System.Text.Json;

namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// First pass over an <c>ExportMetricsServiceRequest</c> in the OTLP JSON encoding (lowerCamelCase names,
/// as the Collector's <c>otlp_json</c> encoding writes): indexes each metric's resource, scope and name and each
/// data point object by position, and validates the whole document (a syntax error throws <see cref="JsonException"/>).
/// </summary>
internal static class OtlpJsonIndexer
{
    public static void Index(ReadOnlySpan<byte> all, OtlpIndex index)
    {
        var reader = new Utf8JsonReader(all);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isResourceMetrics = reader.ValueTextEquals("resourceMetrics"u8);
            reader.Read();
            if (isResourceMetrics && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    ResourceMetrics(ref reader, index);
                }

                Expect(ref reader, JsonTokenType.EndArray, read: false);
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new JsonException("content after the request");
        }
    }

    private static void ResourceMetrics(ref Utf8JsonReader reader, OtlpIndex index)
    {
        var first = index.MetricCount;
        int at = -1, length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resource"u8))
            {
                (at, length) = ObjectRange(ref reader);
            }
            else if (reader.ValueTextEquals("scopeMetrics"u8))
            {
                EachObject(ref reader, index, ScopeMetrics);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        index.SetResource(first, at, length); // the resource applies to its metrics wherever it sits
    }

    private static void ScopeMetrics(ref Utf8JsonReader reader, OtlpIndex index)
    {
        var first = index.MetricCount;
        int at = -1, length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("scope"u8))
            {
                (at, length) = ObjectRange(ref reader);
            }
            else if (reader.ValueTextEquals("metrics"u8))
            {
                EachObject(ref reader, index, Metric);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        index.SetScope(first, at, length);
    }

    private static void Metric(ref Utf8JsonReader reader, OtlpIndex index)
    {
        var metric = index.AddMetric(-1, 0, -1, 0);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            OtlpShape? shape = reader.ValueTextEquals("gauge"u8) ? OtlpShape.Gauge
                : reader.ValueTextEquals("sum"u8) ? OtlpShape.Sum
                : reader.ValueTextEquals("histogram"u8) ? OtlpShape.Histogram
                : reader.ValueTextEquals("exponentialHistogram"u8) ? OtlpShape.ExponentialHistogram
                : reader.ValueTextEquals("summary"u8) ? OtlpShape.Summary
                : null;
            var isName = reader.ValueTextEquals("name"u8);
            reader.Read();
            if (isName && reader.TokenType == JsonTokenType.String)
            {
                // The whole string token, quotes included: the second pass unescapes it.
                index.Metric(metric).NameStart = (int)reader.TokenStartIndex;
                index.Metric(metric).NameLength = (int)(reader.BytesConsumed - reader.TokenStartIndex);
            }
            else if (shape is { } data && reader.TokenType == JsonTokenType.StartObject)
            {
                index.Metric(metric).Shape = data;
                Data(ref reader, metric, index);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void Data(ref Utf8JsonReader reader, int metric, OtlpIndex index)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("dataPoints"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray, read: false);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    index.AddPoint(metric, start, (int)reader.BytesConsumed - start);
                }

                Expect(ref reader, JsonTokenType.EndArray, read: false);
            }
            else if (reader.ValueTextEquals("aggregationTemporality"u8))
            {
                reader.Read();
                index.Metric(metric).Temporality = Temporality(ref reader);
            }
            else if (reader.ValueTextEquals("isMonotonic"u8))
            {
                reader.Read();
                index.Metric(metric).Monotonic = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>The enum as an integer (the OTLP JSON rule) or, leniently, by name.</summary>
    private static int Temporality(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            return number;
        }

        return reader.TokenType != JsonTokenType.String ? 0
            : reader.ValueTextEquals("AGGREGATION_TEMPORALITY_DELTA"u8) ? OtlpIndex.TemporalityDelta
            : reader.ValueTextEquals("AGGREGATION_TEMPORALITY_CUMULATIVE"u8) ? OtlpIndex.TemporalityCumulative
            : 0;
    }

    private delegate void ObjectReader(ref Utf8JsonReader reader, OtlpIndex index);

    private static void EachObject(ref Utf8JsonReader reader, OtlpIndex index, ObjectReader read)
    {
        reader.Read();
        Expect(ref reader, JsonTokenType.StartArray, read: false);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            read(ref reader, index);
        }

        Expect(ref reader, JsonTokenType.EndArray, read: false);
    }

    /// <summary>Reads past the object after the current property name; returns where it sits.</summary>
    private static (int Start, int Length) ObjectRange(ref Utf8JsonReader reader)
    {
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject, read: false);
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return (start, (int)reader.BytesConsumed - start);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != type)
        {
            throw new JsonException($"expected {type}");
        }
    }
}
