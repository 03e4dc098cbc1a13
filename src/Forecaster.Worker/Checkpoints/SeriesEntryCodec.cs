using System.Text;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The payload of a series record: the series id (UTF-8, length-prefixed), Core's
/// <see cref="SeriesStateSerializer"/> record, then the timeline (<see cref="SeriesTimeline.Save"/>).
/// Metric and labels are parsed back from the id. One instance per writer (one thread); reuses its buffers.
/// </summary>
#pragma warning disable CA1001 // The only disposable field is a MemoryStream, which holds nothing but a managed array.
internal sealed class SeriesEntryCodec
#pragma warning restore CA1001
{
    private readonly ForecastSettings _settings;
    private readonly byte[] _state;
    private readonly MemoryStream _buffer;

    public SeriesEntryCodec(ForecastSettings settings)
    {
        _settings = settings;
        _state = new byte[SeriesStateSerializer.MaxLength(settings)];
        _buffer = new MemoryStream(_state.Length + 256);
    }

    /// <summary>The payload of <paramref name="entry"/>.</summary>
    public byte[] Encode(SeriesEntry entry) => Payload(entry).ToArray();

    /// <summary>The payload of <paramref name="entry"/> in this codec's buffer, valid until its next call (a checkpoint wraps it without a copy of its own).</summary>
    public ReadOnlySpan<byte> Payload(SeriesEntry entry)
    {
        _buffer.SetLength(0);
        using (var writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(entry.Id);
            var length = SeriesStateSerializer.Write(entry.State, _settings, _state);
            writer.Write(length);
            writer.Write(_state, 0, length);
            entry.Timeline.Save(writer);
        }

        return _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
    }

    /// <exception cref="InvalidDataException">The payload is not a whole, valid series record for these settings.</exception>
    public static SeriesEntry Decode(ReadOnlyMemory<byte> payload, ForecastSettings settings) => Decode(payload, settings, reshape: false, out _);

    /// <summary>As <see cref="Decode(ReadOnlyMemory{byte}, ForecastSettings)"/>; with <paramref name="reshape"/>, a state of another model shape or history capacity is carried over (<paramref name="reshaped"/>; see <see cref="SeriesStateSerializer"/>).</summary>
    /// <exception cref="InvalidDataException">The payload is not a whole, valid series record, or one that cannot be carried to these settings.</exception>
    public static SeriesEntry Decode(ReadOnlyMemory<byte> payload, ForecastSettings settings, bool reshape, out bool reshaped)
    {
        using var stream = new MemoryStream(payload.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            var id = reader.ReadString();
            var length = reader.ReadInt32();
            if (length < 0 || length > stream.Length - stream.Position)
            {
                throw new InvalidDataException($"series {id}: the state length {length} overruns the record");
            }

            var state = SeriesStateSerializer.Read(payload.Span.Slice((int)stream.Position, length), settings, reshape, out _, out reshaped);
            stream.Position += length;
            var timeline = SeriesTimeline.Load(reader);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"series {id}: {stream.Length - stream.Position} bytes left over");
            }

            _ = SeriesIdParser.Parse(id); // refuses an id the forecast record could not be written from
            return new SeriesEntry(id, state, timeline);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException)
        {
            throw new InvalidDataException("the series record ends early or is malformed: " + e.Message, e);
        }
    }
}
