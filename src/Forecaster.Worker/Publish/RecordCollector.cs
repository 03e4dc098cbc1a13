using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;

namespace Forecaster.Worker.Publish;

/// <summary>
/// The one way out to Kafka: forecasts and dead letters (<see cref="ForecastPublisher"/>) and state records
/// (<see cref="Checkpoints.CheckpointWriter"/>) are all produced through it. When librdkafka's local queue is
/// full it waits for the queue to drain in short slices, serving delivery reports and beating
/// <see cref="WorkerHealth"/> between them, so a long back-off never reads as a stalled loop. Every other
/// call goes to the producer unchanged.
/// </summary>
internal sealed class RecordCollector(IKafkaProducer producer, WorkerHealth? health) : IKafkaProducer
{
    private static readonly TimeSpan BackOff = TimeSpan.FromMilliseconds(5);

    /// <summary>Times a produce found the local queue full (and waited).</summary>
    public long QueueFullWaits { get; private set; }

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                Wait();
            }
        }
    }

    public void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        while (true)
        {
            try
            {
                producer.Produce(partition, message, onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                Wait();
            }
        }
    }

    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void InitTransactions(TimeSpan timeout) => producer.InitTransactions(timeout);

    public void BeginTransaction() => producer.BeginTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout) =>
        producer.SendOffsetsToTransaction(offsets, group, timeout);

    public void CommitTransaction(TimeSpan timeout) => producer.CommitTransaction(timeout);

    public void AbortTransaction(TimeSpan timeout) => producer.AbortTransaction(timeout);

    /// <summary>The producer belongs to whoever made it.</summary>
    public void Dispose()
    {
    }

    /// <summary>The local queue drains as the producer's thread delivers: one short slice of that, then a beat.</summary>
    private void Wait()
    {
        QueueFullWaits++;
        producer.Flush(BackOff);
        health?.Beat();
    }
}
