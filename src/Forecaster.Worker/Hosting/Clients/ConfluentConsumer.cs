using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>The Confluent consumer behind <see cref="IKafkaConsumer"/>: every call passed through unchanged.</summary>
internal sealed class ConfluentConsumer(IConsumer<byte[], byte[]> inner) : IKafkaConsumer
{
    public IConsumerGroupMetadata ConsumerGroupMetadata => inner.ConsumerGroupMetadata;

    public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);

    public ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout) => inner.Consume(timeout);

    public void StoreOffset(TopicPartitionOffset offset) => inner.StoreOffset(offset);

    public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);

    public void Seek(TopicPartitionOffset offset) => inner.Seek(offset);

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => inner.Committed(partitions, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition) => inner.GetWatermarkOffsets(partition);

    public void Close() => inner.Close();

    public void Dispose() => inner.Dispose();
}
