using System.Text;
using Confluent.Kafka;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Reads one partition of the state topic to its end (a consumer of its own, by assignment, no group) and
/// returns the last complete checkpoint of one shard: only records whose sequence ended with a commit
/// marker count, the latest of each key wins, tombstones delete. Every record of that checkpoint is
/// decoded and checked before anything is returned, so a refused record leaves nothing half-applied.
/// </summary>
internal sealed class StateRestorer
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
    public RestoredShard? Read(string topic, int partition, out long highestSequence)
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
            throw new StateRestoreException($"State record {_stateTopic} [{partition}] at offset {bad.Offset} refused: {bad.Reason}.", log.HighestSequence);
        }

        return log.Marker is null ? null : Decode(log, partition);
    }

    /// <summary>Decodes and checks every record of the last complete checkpoint folded into <paramref name="log"/>.</summary>
    /// <exception cref="StateRestoreException">A record is refused or the checkpoint is incomplete.</exception>
    public RestoredShard Decode(CheckpointLog log, int partition)
    {
        var marker = log.Marker!.Value;
        if (log.Series.Count != marker.Commit.SeriesCount)
        {
            throw new StateRestoreException(
                $"State {_stateTopic} [{partition}] commit marker at offset {marker.Offset} lists {marker.Commit.SeriesCount} series but {log.Series.Count} series records were found (lost or compacted too early); checkpoint refused.",
                log.HighestSequence);
        }

        ForecastModel? model = null;
        long bytes = 0;
        if (log.Model is { } m)
        {
            model = Refusing(m.Offset, partition, log.HighestSequence, () => CheckedModel(m.Payload, m.Error));
            bytes += m.Payload.Length;
        }

        // Records decode independently, on several threads; the refusal reported is that of the lowest
        // offset, whatever the order the threads met them in.
        var records = log.Series.Values.ToArray();
        var series = new SeriesEntry[records.Length];
        var errors = new string?[records.Length];
        Parallel.For(0, records.Length, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i =>
        {
            try
            {
                series[i] = records[i].Error is { } error ? throw new InvalidDataException(error) : SeriesEntryCodec.Decode(records[i].Payload, _settings);
            }
            catch (InvalidDataException e)
            {
                errors[i] = e.Message;
            }
        });
        var refused = -1;
        for (var i = 0; i < records.Length; i++)
        {
            bytes += records[i].Payload.Length;
            if (errors[i] is not null && (refused < 0 || records[i].Offset < records[refused].Offset))
            {
                refused = i;
            }
        }

        if (refused >= 0)
        {
            throw new StateRestoreException($"State record {_stateTopic} [{partition}] at offset {records[refused].Offset} refused: {errors[refused]}.", log.HighestSequence);
        }

        return new RestoredShard(model, series, marker.Commit.InputOffset, marker.Sequence, bytes);
    }

    private ForecastModel CheckedModel(ReadOnlyMemory<byte> payload, string? error)
    {
        if (error is not null)
        {
            throw new InvalidDataException(error);
        }

        using var stream = new MemoryStream(payload.ToArray(), writable: false);
        var model = ModelSerializer.Read(stream);
        var shape = ModelFactory.ShapeFor(_settings);
        return model.Shape == shape ? model : throw new InvalidDataException($"the saved model's shape {model.Shape} does not fit the settings' shape {shape}");
    }

    private T Refusing<T>(long offset, int partition, long highestSequence, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (InvalidDataException e)
        {
            throw new StateRestoreException($"State record {_stateTopic} [{partition}] at offset {offset} refused: {e.Message}.", highestSequence, e);
        }
    }

    private static long? Sequence(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(StateEnvelope.SequenceHeader, out var bytes) && bytes.Length == 8 ? BitConverter.ToInt64(bytes) : null;
}
