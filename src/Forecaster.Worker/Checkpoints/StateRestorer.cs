using System.Text;
using Confluent.Kafka;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Reads one partition of the state topic to its end (a consumer of its own, by assignment, no group) and
/// returns the state of one shard as the latest record of each key gives it (<see cref="Decode"/>), so a
/// compacted state topic restores exactly what the full log does. Every record is decoded and checked
/// before anything is returned, so a refused record leaves nothing half-applied.
/// </summary>
internal sealed class StateRestorer : IStateReader
{
    private readonly ConsumerConfig _config;
    private readonly string _stateTopic;
    private readonly ForecastSettings _settings;
    private readonly TimeSpan _timeout;
    private readonly int _threads;

    /// <summary>A restorer reading <paramref name="stateTopic"/> with <paramref name="config"/>, each partition within <paramref name="timeout"/>, decoding one partition's records on <paramref name="threads"/> threads.</summary>
    public StateRestorer(ConsumerConfig config, string stateTopic, ForecastSettings settings, TimeSpan timeout, int threads = 1)
    {
        _threads = Math.Max(1, threads);
        _config = config;
        _stateTopic = stateTopic;
        _settings = settings;
        _timeout = timeout;
    }

    /// <summary>The last complete checkpoint of input <paramref name="topic"/> partition <paramref name="partition"/>; null when there is none (<paramref name="highestSequence"/> is then the highest sequence seen).</summary>
    /// <exception cref="StateRestoreException">A record of this shard is foreign, corrupt, truncated, newer or does not fit the settings; or the checkpoint is incomplete.</exception>
    /// <exception cref="TimeoutException">The partition could not be read to its end in time.</exception>
    /// <exception cref="KafkaException">The state topic cannot be read.</exception>
    public RestoredShard? Read(string topic, int partition, out long highestSequence) => Read(topic, partition, out highestSequence, out _);

    /// <summary>As <see cref="Read(string, int, out long)"/>; <paramref name="orphans"/> are the series keys found without a commit marker to vouch for them (the next checkpoint tombstones them).</summary>
    public RestoredShard? Read(string topic, int partition, out long highestSequence, out IReadOnlyList<string> orphans)
    {
        var log = new CheckpointLog(_stateTopic, topic, partition);
        var deadline = DateTime.UtcNow + _timeout;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(_config).SetLogHandler((_, _) => { }).Build();
        var tp = new TopicPartition(_stateTopic, partition);
        WatermarkOffsets marks;
        try
        {
            marks = consumer.QueryWatermarkOffsets(tp, _timeout);
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownPartition or ErrorCode.Local_UnknownTopic)
        {
            highestSequence = 0;
            orphans = [];
            return null;
        }

        if (marks.High.Value > marks.Low.Value)
        {
            consumer.Assign(new TopicPartitionOffset(tp, marks.Low));
            var last = marks.High.Value - 1;
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Reading {_stateTopic} [{partition}] to offset {last} took longer than {_timeout.TotalSeconds} s.");
                }

                var result = consumer.Consume(remaining < TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200));
                if (result is { IsPartitionEOF: true } && result.Offset.Value >= marks.High.Value)
                {
                    break; // Read to the end: a transaction's control record, never delivered, may be the last offset.
                }

                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                log.Add(result.Offset.Value, result.Message.Key is null ? null : Encoding.UTF8.GetString(result.Message.Key), result.Message.Value, Sequence(result.Message.Headers));
                if (result.Offset.Value >= last)
                {
                    break;
                }
            }
        }

        highestSequence = log.HighestSequence;
        if (log.MarkerError is { } bad)
        {
            throw new StateRestoreException($"State record {_stateTopic} [{partition}] at offset {bad.Offset} refused: {bad.Reason}.", log.HighestSequence) { Orphans = [.. log.Series.Keys] };
        }

        orphans = log.Marker is null ? [.. log.Series.Keys] : [];
        return log.Marker is null ? null : Decode(log, partition);
    }

    /// <summary>
    /// The state of the shard from what compaction would leave of <paramref name="log"/> (the latest record
    /// of each key), so the full log and any compaction of it restore the same state bit for bit:
    /// <list type="bullet">
    /// <item>the latest commit marker gives the input offset to resume at; it demands no record (compaction
    /// may have superseded any of them by a newer one);</item>
    /// <item>every series' latest record is its state, also one written after the marker by a checkpoint a
    /// crash cut short: it says which input offset it absorbed, and its points before that offset are
    /// skipped on replay (see <see cref="RestoreApplier"/>), so it stays consistent with the input read again;</item>
    /// <item>a record after the marker that cannot be used (unreadable, or a version 1 record that does not
    /// say what it absorbed) is dropped with its key, which the next checkpoint tombstones (an orphan);
    /// one before the marker refuses the checkpoint, as it always did;</item>
    /// <item>the latest model record serves; series states computed under another model version are
    /// re-warmed under it when applied;</item>
    /// <item>a model setting changed (hidden size, horizons, quantile levels, history capacity): the old model is
    /// dropped and every series state carried over to the new shape (<see cref="RestoredShard.ShapeChange"/>).</item>
    /// </list>
    /// </summary>
    /// <exception cref="StateRestoreException">A record the marker commits is refused.</exception>
    public RestoredShard Decode(CheckpointLog log, int partition)
    {
        var marker = log.Marker!.Value;
        var orphans = new List<string>();
        ForecastModel? model = null;
        string? shapeChange = null;
        long bytes = 0;
        if (log.Model is { } m)
        {
            try
            {
                model = CheckedModel(m.Payload, m.Error);
                bytes += m.Payload.Length;
                if (ModelFit.Mismatch(model, _settings) is { } mismatch)
                {
                    shapeChange = mismatch; // a model setting changed: the old weights are dropped, the series kept
                    model = null;
                }
            }
            catch (InvalidDataException e)
            {
                // A model of a checkpoint cut short that cannot be read: the initial model serves, and every
                // series is re-warmed under it (the same from the full and the compacted log). So does one a
                // newer build wrote (a rollback, or a partition a rolling update moved to an old pod), as
                // across a shape change: the series keep their state, and a model trains from their histories first.
                shapeChange = NewerModel(m);
                if (shapeChange is null && !m.After(marker.Offset))
                {
                    throw new StateRestoreException($"State record {_stateTopic} [{partition}] at offset {m.Offset} refused: {e.Message}.", log.HighestSequence, e) { Orphans = [.. log.Series.Keys] };
                }
            }
        }

        var shapeModels = new Dictionary<string, ForecastModel>(StringComparer.Ordinal);
        foreach (var (shape, record) in log.ShapeModels)
        {
            try
            {
                shapeModels[shape] = CheckedModel(record.Payload, record.Error);
                bytes += record.Payload.Length;
            }
            catch (InvalidDataException)
            {
                // That group starts from its initial model; its series are re-warmed under it (their version differs).
            }
        }

        // A series of another model group is read in its group's shape, not carried to the shard's own.
        (int, int, int)[] groupShapes = [.. log.ShapeModels.Keys.Select(Profiles.ModelShapes.StateShape).OfType<(int, int, int)>()];

        // Records decode independently, on several threads; the refusal reported is that of the lowest
        // offset, whatever the order the threads met them in.
        var ids = log.Series.Keys.ToArray();
        var records = log.Series.Values.ToArray();
        var series = new SeriesEntry?[records.Length];
        var errors = new string?[records.Length];
        var reshaped = new bool[records.Length];
        Parallel.For(0, records.Length, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i =>
        {
            try
            {
                series[i] = records[i].Error is { } error ? throw new InvalidDataException(error)
                    : records[i].Frame.Version == 1 && records[i].After(marker.Offset) ? null
                    : SeriesEntryCodec.Decode(records[i].Payload, _settings, reshape: true, out reshaped[i], groupShapes);
            }
            catch (InvalidDataException e)
            {
                errors[i] = e.Message;
            }
        });
        var refused = -1;
        var kept = new List<SeriesEntry>(records.Length);
        var absorbed = new List<long>(records.Length);
        var versions = new List<long>(records.Length);
        for (var i = 0; i < records.Length; i++)
        {
            if (errors[i] is not null && !records[i].After(marker.Offset))
            {
                refused = refused < 0 || records[i].Offset < records[refused].Offset ? i : refused;
            }
            else if (series[i] is null)
            {
                orphans.Add(ids[i]);
            }
            else
            {
                bytes += records[i].Payload.Length;
                kept.Add(series[i]!);
                absorbed.Add(records[i].Frame.Absorbed);
                versions.Add(records[i].Frame.ModelVersion);
                shapeChange ??= reshaped[i] ? "series states of another hidden size, history capacity or horizon count were carried over" : null;
            }
        }

        if (refused >= 0)
        {
            throw new StateRestoreException($"State record {_stateTopic} [{partition}] at offset {records[refused].Offset} refused: {errors[refused]}.", log.HighestSequence) { Orphans = ids };
        }

        return new RestoredShard(model, kept, marker.Commit.InputOffset, marker.Sequence, bytes)
        {
            Absorbed = absorbed,
            ShapeModels = shapeModels,
            ModelVersions = versions,
            Orphans = orphans,
            ShapeChange = shapeChange,
            MarkerSeriesCount = marker.Commit.SeriesCount,
            Origins = marker.Commit.Origins,
        };
    }

    private static ForecastModel CheckedModel(ReadOnlyMemory<byte> payload, string? error)
    {
        if (error is not null)
        {
            throw new InvalidDataException(error);
        }

        using var stream = new MemoryStream(payload.ToArray(), writable: false);
        return ModelSerializer.Read(stream);
    }

    /// <summary>Why <paramref name="record"/> is a model this build cannot read because a newer build wrote it; null when it is not that.</summary>
    private static string? NewerModel(LatestRecord record) =>
        record.Error is null && ModelSerializer.RecordVersion(record.Payload.Span) is var version && version > ModelSerializer.FormatVersion
            ? $"the model record is of format {version}, newer than this build reads ({ModelSerializer.FormatVersion}): a newer build wrote it"
            : null;

    private static long? Sequence(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(StateEnvelope.SequenceHeader, out var bytes) && bytes.Length == 8 ? BitConverter.ToInt64(bytes) : null;
}
