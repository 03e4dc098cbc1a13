using System.Collections.Concurrent;
using Confluent.Kafka;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Re-keys a point whose series id is not its record's key (an unkeyed record, or one keyed otherwise): the field
/// goes to <c>Kafka:RepartitionTopic</c> as a canonical point keyed by its series id, with its origin in
/// <see cref="OriginMarks.Header"/>, and is read back in the shard of that key's partition. The input offset is
/// held until the delivery report, which arrives on the producer's thread, is queued and applied on the consume
/// thread by <see cref="DrainAcknowledgements"/> (the pattern of <see cref="ForecastPublisher"/>): the input
/// offset is stored only once every point re-keyed from it is acknowledged.
/// </summary>
internal sealed class Repartitioner : IDisposable
{
    private readonly IKafkaProducer _producer;
    private readonly ForecasterMetrics _metrics;
    private readonly CanonicalPointWriter _writer = new();
    private readonly ExactLengthBuffers _keys = new();
    private readonly ExactLengthBuffers _values = new();
    private readonly ConcurrentQueue<Acknowledgement> _acks = new();

    public Repartitioner(IKafkaProducer producer, string topic, ForecasterMetrics metrics)
    {
        _producer = producer;
        Topic = topic;
        _metrics = metrics;
    }

    public string Topic { get; }

    /// <summary>Whether field <paramref name="field"/> of <paramref name="record"/> is keyed by its own series id in <paramref name="key"/>.</summary>
    public static bool KeyedBySeries(byte[]? key, DecodedRecord record, SeriesIdBuilder ids, int field)
    {
        ids.Build(record, field);
        return key is not null && ids.Utf8().SequenceEqual(key);
    }

    /// <summary>
    /// Re-produces field <paramref name="field"/> of <paramref name="record"/>, read from <paramref name="source"/>, as its
    /// point number <paramref name="index"/> (its count among the record's re-keyed points), holding the input offset in
    /// <paramref name="offsets"/> until it is acknowledged.
    /// </summary>
    public void Send(ConsumeResult<byte[], byte[]> source, DecodedRecord record, SeriesIdBuilder ids, int field, int index, OffsetTracker offsets)
    {
        ids.Build(record, field);
        var offset = source.Offset.Value;
        var message = new Message<byte[], byte[]>
        {
            Key = _keys.Copy(ids.Utf8()),
            Value = _values.Copy(_writer.Write(record, field)),
            Headers = new Headers { { OriginMarks.Header, OriginMarks.Encode(source.Topic, source.Partition.Value, offset, index) } },
        };
        offsets.Hold(offset);
        offsets.Sent();

        void OnDelivery(DeliveryReport<byte[], byte[]> report) =>
            _acks.Enqueue(new Acknowledgement(offsets, offset, DeadLetter: false, report.Error.IsError ? report.Error : null));

        try
        {
            _producer.Produce(Topic, message, OnDelivery); // a full local queue is waited out there
        }
        catch (ProduceException<byte[], byte[]> e)
        {
            // Refused at once (a record too large, an unknown topic): the same as a failed delivery.
            _acks.Enqueue(new Acknowledgement(offsets, offset, DeadLetter: false, e.Error));
        }

        _metrics.PointsRepartitioned.Inc();
    }

    /// <summary>Applies queued delivery reports; returns the first delivery error seen, if any (its offset stays held).</summary>
    public Error? DrainAcknowledgements()
    {
        Error? failure = null;
        while (_acks.TryDequeue(out var ack))
        {
            ack.Offsets.Acknowledged();
            if (ack.Error is not null)
            {
                _metrics.DeliveryErrors.Inc();
                failure ??= ack.Error;
                continue;
            }

            ack.Offsets.Release(ack.SourceOffset);
        }

        return failure;
    }

    public void Dispose() => _writer.Dispose();
}
