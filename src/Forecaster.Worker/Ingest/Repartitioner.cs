using Confluent.Kafka;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Re-keys a point whose series id is not its record's key (an unkeyed record, or one keyed otherwise): the field
/// goes to <c>Kafka:RepartitionTopic</c> as a canonical point keyed by its series id, with its origin in
/// <see cref="OriginMarks.Header"/>, and is read back in the shard of that key's partition. The input offset is
/// held in the shard's <see cref="OffsetTracker"/> until the <see cref="RecordCollector"/> applies the delivery
/// report (as for a forecast): the input offset is stored only once every point re-keyed from it is acknowledged.
/// </summary>
internal sealed class Repartitioner : IDisposable
{
    private readonly RecordCollector _collector;
    private readonly ForecasterMetrics _metrics;
    private readonly CanonicalPointWriter _writer = new();
    private readonly ExactLengthBuffers _keys = new();
    private readonly ExactLengthBuffers _values = new();

    public Repartitioner(RecordCollector collector, string topic, ForecasterMetrics metrics)
    {
        _collector = collector;
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
        _collector.Produce(Topic, message, RecordKind.Repartitioned, offsets, offset); // A full local queue is waited out there.
        _metrics.PointsRepartitioned.Inc();
    }

    public void Dispose() => _writer.Dispose();
}
