namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// Second pass over a protobuf record: the labels and name a metric's points share (resource and scope
/// attributes through the allow-list, the metric name) and each data point's attributes, times and values.
/// Field numbers are those of opentelemetry-proto's metrics/v1, common/v1 and resource/v1.
/// </summary>
internal static class OtlpProtoPoints
{
    public static void ReadBase(ReadOnlySpan<byte> all, in OtlpMetricRef metric, DecodedRecord record, OtlpLabelFilter filter)
    {
        if (metric.ResourceStart >= 0)
        {
            Attributes(all, metric.ResourceStart, metric.ResourceLength, 1, record, filter); // Resource.attributes
        }

        if (metric.ScopeStart >= 0)
        {
            Attributes(all, metric.ScopeStart, metric.ScopeLength, 3, record, filter); // InstrumentationScope.attributes
        }

        record.Metric = record.AppendUtf8(all.Slice(Math.Max(metric.NameStart, 0), metric.NameLength));
        OtlpLabelFilter.SanitizeMetric(record.Writable(record.Metric));
    }

    public static void ReadPoint(ReadOnlySpan<byte> all, OtlpPointRef at, OtlpShape shape, DecodedRecord record, ref OtlpPointData point)
    {
        var number = shape is OtlpShape.Gauge or OtlpShape.Sum;
        var attributes = shape switch { OtlpShape.Histogram => 9, OtlpShape.ExponentialHistogram => 1, _ => 7 };
        var flags = shape is OtlpShape.Histogram or OtlpShape.ExponentialHistogram ? 10 : 8;
        point.HasValue = !number; // a count defaults to 0
        point.HasSum = shape == OtlpShape.Summary; // a summary's sum is not optional
        var reader = new ProtoReader(all, at.Start, at.Length);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == attributes && wire == ProtoReader.Len)
            {
                var (s, l) = reader.ReadLength();
                KeyValue(all, s, l, record, null);
            }
            else if (field == flags && wire == ProtoReader.Varint)
            {
                point.Flags = reader.ReadVarint();
            }
            else if (wire != ProtoReader.Fixed64 || field is < 2 or > 6)
            {
                reader.Skip(wire);
            }
            else if (field == 2)
            {
                point.StartNs = reader.ReadFixed64();
            }
            else if (field == 3)
            {
                point.TimeNs = reader.ReadFixed64();
            }
            else if (number && field is 4 or 6)
            {
                var bits = reader.ReadFixed64();
                point.Value = field == 4 ? BitConverter.UInt64BitsToDouble(bits) : (long)bits; // as_double, as_int
                point.HasValue = true;
            }
            else if (!number && field == 4)
            {
                point.Value = reader.ReadFixed64(); // count
            }
            else if (!number && field == 5)
            {
                point.Sum = reader.ReadDouble();
                point.HasSum = true;
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>Every KeyValue of field <paramref name="field"/> in the message at <c>[start, start+length)</c>.</summary>
    private static void Attributes(ReadOnlySpan<byte> all, int start, int length, int field, DecodedRecord record, OtlpLabelFilter? filter)
    {
        var reader = new ProtoReader(all, start, length);
        while (reader.TryReadTag(out var f, out var wire))
        {
            if (f == field && wire == ProtoReader.Len)
            {
                var (s, l) = reader.ReadLength();
                KeyValue(all, s, l, record, filter);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>KeyValue: key = 1, value = 2 (AnyValue). Kept as a label when allowed and the value is a string, bool, int or double.</summary>
    private static void KeyValue(ReadOnlySpan<byte> all, int start, int length, DecodedRecord record, OtlpLabelFilter? filter)
    {
        ReadOnlySpan<byte> key = default;
        int valueStart = -1, valueLength = 0;
        var reader = new ProtoReader(all, start, length);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.Len)
            {
                key = reader.ReadBytes();
            }
            else if (field == 2 && wire == ProtoReader.Len)
            {
                (valueStart, valueLength) = reader.ReadLength();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (key.IsEmpty || valueStart < 0)
        {
            return;
        }

        var mark = record.TextLength;
        var keyText = record.AppendUtf8(key);
        if (filter is not null && !filter.Allows(record.Text(keyText)))
        {
            record.RewindText(mark);
            return;
        }

        var value = AnyValue(all, valueStart, valueLength, record);
        if (value.Length == 0)
        {
            record.RewindText(mark);
            return;
        }

        OtlpLabelFilter.SanitizeLabel(record.Writable(keyText));
        record.SetLabel(keyText, value);
    }

    /// <summary>AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4; arrays, maps and bytes are not labels.</summary>
    private static TextRange AnyValue(ReadOnlySpan<byte> all, int start, int length, DecodedRecord record)
    {
        TextRange value = default;
        var reader = new ProtoReader(all, start, length);
        while (reader.TryReadTag(out var field, out var wire))
        {
            value = (field, wire) switch
            {
                (1, ProtoReader.Len) => record.AppendUtf8(reader.ReadBytes()),
                (2, ProtoReader.Varint) => record.AppendUtf8(reader.ReadVarint() != 0 ? "true"u8 : "false"u8),
                (3, ProtoReader.Varint) => record.AppendFormatted((long)reader.ReadVarint()),
                (4, ProtoReader.Fixed64) => record.AppendFormatted(reader.ReadDouble()),
                _ => Skip(ref reader, wire, value),
            };
        }

        return value;
    }

    private static TextRange Skip(ref ProtoReader reader, int wire, TextRange kept)
    {
        reader.Skip(wire);
        return kept;
    }
}
