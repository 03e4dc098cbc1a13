using System.Buffers;
using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Writes one field of a decoded record as a canonical point,
/// <c>{"metric":"m_suffix","labels":{"k":"v"},"ts":1764100800000,"value":1.5,"kind":"counter"}</c>, the form in which
/// re-keyed points travel through the repartition topic: whatever the input format, decoding it again gives the same
/// series id, timestamp, value and kind (the kind is always stated, so no name rule applies twice). Reuses its
/// buffers; consume thread only.
/// </summary>
internal sealed class CanonicalPointWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private char[] _name = new char[128];

    public CanonicalPointWriter()
    {
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Field <paramref name="field"/> of <paramref name="record"/> as canonical JSON (valid until the next call).</summary>
    public ReadOnlySpan<byte> Write(DecodedRecord record, int field)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("metric"u8, MetricName(record, field));
        _writer.WriteStartObject("labels"u8);
        for (var i = 0; i < record.LabelCount; i++)
        {
            _writer.WriteString(record.LabelKey(i), record.LabelValue(i));
        }

        _writer.WriteEndObject();
        _writer.WriteNumber("ts"u8, record.TimestampMs);
        _writer.WriteNumber("value"u8, record.FieldValue(field));
        _writer.WriteString("kind"u8, record.FieldKind(field) == MetricKind.Counter ? "counter"u8 : "gauge"u8);
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The metric as the series id names it: <c>metric_suffix</c> for a field with a suffix (Telegraf, collectd).</summary>
    private ReadOnlySpan<char> MetricName(DecodedRecord record, int field)
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
