using System.Text;
using Confluent.Kafka;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Produces a shard's checkpoint to its partition of the state topic: tombstones of evicted series, the
/// model of each model group when its version changed (<see cref="WriteHead"/>), every series offered a point since the last
/// checkpoint, all of them on a full checkpoint (<see cref="WriteSeries"/>), then the commit marker
/// (<see cref="WriteMarker"/>). The pieces may be produced in one go (<see cref="Write"/>) or spread over
/// loop iterations (<see cref="CheckpointJob"/>). Every record goes through <see cref="Produce"/>, the one
/// place a transactional mode hooks into. The caller learns from the <see cref="CheckpointAcks"/> whether
/// every record was acknowledged, once the collector has applied the reports (the loop's settle, a flush).
/// </summary>
internal sealed class CheckpointWriter
{
    private readonly string _stateTopic;
    private readonly SeriesEntryCodec _codec;

    /// <summary>A writer over a Confluent producer of the caller's (benchmarks, tests).</summary>
    public CheckpointWriter(IProducer<byte[], byte[]> producer, string stateTopic, ForecastSettings settings)
        : this(new RecordCollector(new ConfluentProducer(producer), health: null), stateTopic, settings)
    {
    }

    public CheckpointWriter(RecordCollector collector, string stateTopic, ForecastSettings settings)
    {
        Collector = collector;
        _stateTopic = stateTopic;
        _codec = new SeriesEntryCodec(settings);
    }

    /// <summary>The way out for its records; its <see cref="RecordCollector.Flush"/> applies their reports to the <see cref="CheckpointAcks"/>.</summary>
    public RecordCollector Collector { get; }

    /// <summary>Produces one whole checkpoint of <paramref name="shard"/> at input offset <paramref name="position"/> (inside a transaction, which makes it atomic); returns the value bytes produced.</summary>
    public long Write(ShardCheckpoint shard, long position, CheckpointAcks acks) => WriteRecords(shard, position, acks) + WriteMarker(shard, position, acks);

    /// <summary>The records of one checkpoint without its marker: tombstones, model, series.</summary>
    public long WriteRecords(ShardCheckpoint shard, long position, CheckpointAcks acks)
    {
        var bytes = WriteHead(shard, acks);
        foreach (var entry in shard.Shard.Series)
        {
            if (entry.Dirty || shard.Full)
            {
                bytes += WriteSeries(shard, entry, position, acks);
            }
        }

        return bytes;
    }

    /// <summary>The tombstones of the series evicted since the last checkpoint, and the model when it changed (or on a full checkpoint).</summary>
    public long WriteHead(ShardCheckpoint shard, CheckpointAcks acks)
    {
        var sequence = shard.NextSequence;
        var topic = shard.Topic;
        long bytes = 0;
        foreach (var id in shard.Evicted)
        {
            var headers = new Headers { { StateEnvelope.SequenceHeader, BitConverter.GetBytes(sequence) } };
            Produce(shard, StateKeys.Series(topic, shard.Shard.Partition, id), null, headers, acks);
        }

        foreach (var group in shard.Shard.Groups.All)
        {
            var model = group.Forecaster.Model;
            if (shard.Full || model.Version != shard.WrittenModel(group))
            {
                using var stream = new MemoryStream();
                ModelSerializer.Write(model, stream);
                var key = StateKeys.Model(topic, shard.Shard.Partition, group.Shape);
                bytes += Produce(shard, key, StateEnvelope.Wrap(StateRecordKind.Model, sequence, stream.ToArray(), modelVersion: model.Version), null, acks);
            }
        }

        return bytes;
    }

    /// <summary>The record of one series, in the shard's current sequence: its state having absorbed the input before <paramref name="position"/>, under the serving model.</summary>
    public long WriteSeries(ShardCheckpoint shard, SeriesEntry entry, long position, CheckpointAcks acks)
    {
        var group = shard.Shard.Groups.Current(entry);
        var value = StateEnvelope.Wrap(StateRecordKind.Series, shard.NextSequence, _codec.Payload(entry, group.Settings), position, group.Forecaster.ModelVersion);
        return Produce(shard, StateKeys.Series(shard.Topic, shard.Shard.Partition, entry.Id), value, null, acks);
    }

    /// <summary>The commit marker that completes the current sequence: the input offset saved with the state and the live series count.</summary>
    public long WriteMarker(ShardCheckpoint shard, long position, CheckpointAcks acks)
    {
        var marker = new CommitMarker(position, shard.Shard.SeriesCount, shard.Shard.Origins);
        return Produce(shard, StateKeys.Commit(shard.Topic, shard.Shard.Partition), StateEnvelope.Wrap(StateRecordKind.Commit, shard.NextSequence, marker.ToBytes(), position), null, acks);
    }

    /// <summary>Marks the checkpoint written: series clean, evictions forgotten, sequence and offset advanced.</summary>
    public static void Commit(ShardCheckpoint shard, long position)
    {
        foreach (var entry in shard.Shard.Series)
        {
            entry.Dirty = false;
        }

        shard.Evicted.Clear();
        shard.Full = false;
        foreach (var group in shard.Shard.Groups.All)
        {
            shard.WrittenModelVersions[group.Index] = group.Forecaster.ModelVersion;
        }

        shard.CheckpointedOffset = position;
        shard.NextSequence++;
    }

    /// <summary>Every state record is produced here (a transactional mode wraps this one call).</summary>
    private int Produce(ShardCheckpoint shard, string key, byte[]? value, Headers? headers, CheckpointAcks acks)
    {
        var partition = new TopicPartition(_stateTopic, shard.Shard.Partition);
        var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value!, Headers = headers };
        acks.Produced();
        try
        {
            Collector.Produce(partition, message, RecordKind.State, acks, 0); // A full local queue is waited out there.
            return value?.Length ?? 0;
        }
        catch (ProduceException<byte[], byte[]> e)
        {
            // Refused here (an unknown partition of the state topic, a record too large): the checkpoint fails
            // through its acknowledgements, like a refused delivery, never as an exception out of the loop.
            acks.Refused(e.Error);
            return 0;
        }
    }
}
