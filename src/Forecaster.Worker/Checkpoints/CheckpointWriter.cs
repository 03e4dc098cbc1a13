using System.Text;
using Confluent.Kafka;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Produces a shard's checkpoint to its partition of the state topic: tombstones of evicted series, the
/// model when its version changed, every series offered a point since the last checkpoint (all of them
/// on a full checkpoint), then the commit marker. The caller flushes the producer and calls
/// <see cref="Completed"/> to learn whether every record was acknowledged.
/// </summary>
internal sealed class CheckpointWriter
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _stateTopic;
    private readonly SeriesEntryCodec _codec;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private int _inFlight;
    private int _failed;
    private Error? _lastError;

    public CheckpointWriter(IProducer<byte[], byte[]> producer, string stateTopic, ForecastSettings settings)
    {
        _producer = producer;
        _stateTopic = stateTopic;
        _codec = new SeriesEntryCodec(settings);
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                _lastError = report.Error;
                Interlocked.Increment(ref _failed);
            }

            Interlocked.Decrement(ref _inFlight);
        };
    }

    /// <summary>Produces one checkpoint of <paramref name="shard"/> at input offset <paramref name="position"/>; returns the value bytes produced.</summary>
    public long Write(ShardCheckpoint shard, long position)
    {
        var sequence = shard.NextSequence;
        var partition = new TopicPartition(_stateTopic, shard.Shard.Partition);
        var topic = shard.Topic;
        long bytes = 0;
        foreach (var id in shard.Evicted)
        {
            var headers = new Headers { { StateEnvelope.SequenceHeader, BitConverter.GetBytes(sequence) } };
            Produce(partition, StateKeys.Series(topic, shard.Shard.Partition, id), null, headers);
        }

        var model = shard.Shard.Forecaster.Model;
        if (shard.Full || model.Version != shard.WrittenModelVersion)
        {
            using var stream = new MemoryStream();
            ModelSerializer.Write(model, stream);
            bytes += Produce(partition, StateKeys.Model(topic, shard.Shard.Partition), StateEnvelope.Wrap(StateRecordKind.Model, sequence, stream.ToArray()), null);
        }

        foreach (var entry in shard.Shard.Series)
        {
            if (entry.Dirty || shard.Full)
            {
                var value = StateEnvelope.Wrap(StateRecordKind.Series, sequence, _codec.Encode(entry));
                bytes += Produce(partition, StateKeys.Series(topic, shard.Shard.Partition, entry.Id), value, null);
            }
        }

        var marker = new CommitMarker(position, shard.Shard.SeriesCount);
        bytes += Produce(partition, StateKeys.Commit(topic, shard.Shard.Partition), StateEnvelope.Wrap(StateRecordKind.Commit, sequence, marker.ToBytes()), null);
        return bytes;
    }

    /// <summary>After a producer flush: true when every record produced since the last call was acknowledged.</summary>
    public bool Completed(out Error? error)
    {
        error = _lastError;
        var ok = Volatile.Read(ref _inFlight) == 0 && Interlocked.Exchange(ref _failed, 0) == 0;
        _lastError = null;
        return ok;
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
        shard.WrittenModelVersion = shard.Shard.Forecaster.Model.Version;
        shard.CheckpointedOffset = position;
        shard.NextSequence++;
    }

    private int Produce(TopicPartition partition, string key, byte[]? value, Headers? headers)
    {
        var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value!, Headers = headers };
        Interlocked.Increment(ref _inFlight);
        while (true)
        {
            try
            {
                _producer.Produce(partition, message, _onDelivery);
                return value?.Length ?? 0;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue drains as the background thread delivers.
                Thread.Sleep(5);
            }
        }
    }
}
