using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>The Confluent producer behind <see cref="IKafkaProducer"/>: every call passed through unchanged.</summary>
internal sealed class ConfluentProducer(IProducer<byte[], byte[]> inner) : IKafkaProducer
{
    /// <summary>The librdkafka handle, for clients that share the producer's connections (the broker probe's admin client).</summary>
    public Handle Handle => inner.Handle;

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) =>
        inner.Produce(topic, message, onDelivery);

    public void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) =>
        inner.Produce(partition, message, onDelivery);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout) =>
        inner.SendOffsetsToTransaction(offsets, group, timeout);

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void Dispose() => inner.Dispose();
}
