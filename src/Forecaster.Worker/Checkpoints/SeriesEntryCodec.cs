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
/// The state record's format governs the whole payload: when it is newer than this build reads in full and readable
/// by it (see <see cref="SeriesStateSerializer"/>), bytes after the timeline this build knows are fields that newer
/// build appended and are skipped; otherwise they refuse the record. A newer build that changes the id or the
/// timeline in another way makes its state records readable only from its own format.
/// </summary>
#pragma warning disable CA1001 // The only disposable field is a MemoryStream, which holds nothing but a managed array.
internal sealed class SeriesEntryCodec
#pragma warning restore CA1001
{
    private readonly ForecastSettings _settings;
    private readonly MemoryStream _buffer;
    private byte[] _state;

    /// <summary>A codec whose <see cref="Payload(SeriesEntry)"/> writes states made under <paramref name="settings"/>.</summary>
    public SeriesEntryCodec(ForecastSettings settings)
    {
        _settings = settings;
        _state = new byte[SeriesStateSerializer.MaxLength(settings)];
        _buffer = new MemoryStream(_state.Length + 256);
    }

    /// <summary>The payload of <paramref name="entry"/>.</summary>
    public byte[] Encode(SeriesEntry entry) => Payload(entry).ToArray();

    /// <summary>The payload of <paramref name="entry"/>, whose state was made under the codec's settings.</summary>
    public ReadOnlySpan<byte> Payload(SeriesEntry entry) => Payload(entry, _settings);

    /// <summary>The payload of <paramref name="entry"/>, whose state was made under <paramref name="settings"/> (its model group's), in this codec's buffer, valid until its next call (a checkpoint wraps it without a copy of its own).</summary>
    public ReadOnlySpan<byte> Payload(SeriesEntry entry, ForecastSettings settings)
    {
        var most = SeriesStateSerializer.MaxLength(settings);
        if (_state.Length < most)
        {
            _state = new byte[most];
        }

        _buffer.SetLength(0);
        using (var writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(entry.Id);
            var length = SeriesStateSerializer.Write(entry.State, settings, _state);
            writer.Write(length);
            writer.Write(_state, 0, length);
            entry.Timeline.Save(writer);
        }

        return _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
    }

    /// <exception cref="InvalidDataException">The payload is not a whole, valid series record for these settings.</exception>
    public static SeriesEntry Decode(ReadOnlyMemory<byte> payload, ForecastSettings settings) => Decode(payload, settings, reshape: false, out _);

    /// <summary>
    /// As <see cref="Decode(ReadOnlyMemory{byte}, ForecastSettings)"/>; with <paramref name="reshape"/>, a state of another hidden size,
    /// history capacity or horizon count is carried over (<paramref name="reshaped"/>; see <see cref="SeriesStateSerializer"/>), and
    /// one whose seasons are not those settings' (another model group's) is read exactly in the shape its record declares: the
    /// shard puts it in its group, or starts it afresh when its group's shape is not the record's (see <see cref="Shard.RestoreSeries"/>).
    /// So is one of another horizon count whose seasons and horizon are those of a group in <paramref name="groups"/> (the
    /// shapes whose models were saved beside it): a profile's series of another horizon, not a state of the worker's
    /// settings before they changed.
    /// </summary>
    /// <exception cref="InvalidDataException">The payload is not a whole, valid series record, or one that cannot be carried to these settings.</exception>
    public static SeriesEntry Decode(ReadOnlyMemory<byte> payload, ForecastSettings settings, bool reshape, out bool reshaped, IReadOnlyCollection<(int Season, int WeeklySeason, int Horizons)>? groups = null)
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

            var record = payload.Span.Slice((int)stream.Position, length);
            if (reshape && SeriesStateSerializer.RecordedSettings(record, settings) is { } recorded
                && (recorded.Season != settings.Season || recorded.WeeklySeason != settings.WeeklySeason
                    || (recorded.Horizons != settings.Horizons && groups is not null && groups.Contains((recorded.Season, recorded.WeeklySeason, recorded.Horizons)))))
            {
                (settings, reshape) = (recorded with { WeeklyStride = 1 }, false);
            }

            var state = SeriesStateSerializer.Read(record, settings, reshape, out _, out reshaped);
            var newer = SeriesStateSerializer.RecordVersion(record) > SeriesStateSerializer.FormatVersion;
            stream.Position += length;
            var timeline = SeriesTimeline.Load(reader);
            if (stream.Position != stream.Length && !newer)
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
