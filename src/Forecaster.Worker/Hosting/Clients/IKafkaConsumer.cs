using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// The calls the loop makes on its input consumer, and nothing more. Rebalance, error and log handlers are
/// given when the consumer is built (<see cref="ClientHandlers"/>) and run inside <see cref="Consume"/>, which
/// <see cref="FetchAhead"/> calls on its own thread and hands them to the loop's. <see cref="ConfluentConsumer"/> is the real one; the test driver scripts a fake.
/// </summary>
internal interface IKafkaConsumer : IDisposable
{
    /// <summary>The consumer's group metadata, for <see cref="IKafkaProducer.SendOffsetsToTransaction"/>.</summary>
    IConsumerGroupMetadata ConsumerGroupMetadata { get; }

    void Subscribe(IEnumerable<string> topics);

    /// <summary>The next record, or null when none arrived within <paramref name="timeout"/>.</summary>
    ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout);

    /// <summary>Stores the offset auto-commit will commit next for its partition.</summary>
    void StoreOffset(TopicPartitionOffset offset);

    void Pause(IEnumerable<TopicPartition> partitions);

    void Resume(IEnumerable<TopicPartition> partitions);

    void Seek(TopicPartitionOffset offset);

    /// <summary>The group's committed offsets of <paramref name="partitions"/> (a broker call).</summary>
    List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout);

    /// <summary>The watermarks as last fetched (no broker call).</summary>
    WatermarkOffsets GetWatermarkOffsets(TopicPartition partition);

    /// <summary>Leaves the group (the revoke handler runs inside it).</summary>
    void Close();
}
