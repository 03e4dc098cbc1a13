using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// The calls the worker makes on its one producer: produce with a delivery handler (reports arrive on
/// another thread), flush, and the transactional calls of exactly-once mode. <see cref="ConfluentProducer"/>
/// is the real one; the test driver scripts a fake.
/// </summary>
internal interface IKafkaProducer : IDisposable
{
    /// <exception cref="ProduceException{TKey, TValue}">Refused before it left (the local queue full, an unknown partition, too large).</exception>
    void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery);

    /// <exception cref="ProduceException{TKey, TValue}">Refused before it left (the local queue full, an unknown partition, too large).</exception>
    void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery);

    /// <summary>Waits until every record produced is reported or the timeout passes; returns the number still in flight.</summary>
    int Flush(TimeSpan timeout);

    void InitTransactions(TimeSpan timeout);

    void BeginTransaction();

    void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout);

    void CommitTransaction(TimeSpan timeout);

    void AbortTransaction(TimeSpan timeout);
}
