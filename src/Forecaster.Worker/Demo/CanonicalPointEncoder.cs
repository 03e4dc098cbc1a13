using System.Buffers;
using System.Text.Json;

namespace Forecaster.Worker.Demo;

/// <summary>Writes canonical input points (<c>{"metric","labels","ts","value"}</c>) for the demo and <c>replay</c>.</summary>
internal sealed class CanonicalPointEncoder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public CanonicalPointEncoder()
    {
        _writer = new Utf8JsonWriter(_buffer);
    }

    public byte[] Encode(string metric, IReadOnlyList<KeyValuePair<string, string>> labels, long timestampMs, double value)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("metric", metric);
        _writer.WriteStartObject("labels");
        foreach (var (key, label) in labels)
        {
            _writer.WriteString(key, label);
        }

        _writer.WriteEndObject();
        _writer.WriteNumber("ts", timestampMs);
        _writer.WriteNumber("value", value);
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _writer.Dispose();
}
