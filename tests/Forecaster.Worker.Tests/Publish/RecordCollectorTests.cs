using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Publish;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Publish;

public class RecordCollectorTests
{
    [Fact]
    public void A_full_local_queue_is_waited_out_with_the_health_clock_beating()
    {
        var time = new FakeTimeProvider();
        var health = new WorkerHealth(time);
        var producer = new QueueFullProducer(fullFor: 4, time, drainTakes: TimeSpan.FromSeconds(25));
        var collector = new RecordCollector(producer, health);

        collector.Produce("out", new Message<byte[], byte[]> { Key = [1], Value = [2] }, _ => { });

        Assert.Equal(1, producer.Accepted);
        Assert.Equal(4, collector.QueueFullWaits);
        Assert.Equal(TimeSpan.FromSeconds(100), time.GetUtcNow() - new FakeTimeProvider().GetUtcNow());
        Assert.True(health.IsLive(TimeSpan.FromSeconds(60)), "a 100 s back-off read as a stalled loop");
    }

    [Fact]
    public void Other_refusals_reach_the_caller()
    {
        var collector = new RecordCollector(new QueueFullProducer(fullFor: 0, new FakeTimeProvider(), TimeSpan.Zero) { Refuse = ErrorCode.MsgSizeTooLarge }, health: null);

        var e = Assert.Throws<ProduceException<byte[], byte[]>>(() => collector.Produce(new TopicPartition("state", 0), new Message<byte[], byte[]> { Value = [1] }, _ => { }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, e.Error.Code);
    }

    /// <summary>Refuses the first <c>fullFor</c> produces with a full queue; each flush takes <c>drainTakes</c> of fake time.</summary>
    private sealed class QueueFullProducer(int fullFor, FakeTimeProvider time, TimeSpan drainTakes) : IKafkaProducer
    {
        private int _full = fullFor;

        public int Accepted { get; private set; }

        public ErrorCode? Refuse { get; init; }

        public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) => Accept(message);

        public void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) => Accept(message);

        public int Flush(TimeSpan timeout)
        {
            time.Advance(drainTakes);
            return 0;
        }

        public void InitTransactions(TimeSpan timeout) => throw new NotSupportedException();

        public void BeginTransaction() => throw new NotSupportedException();

        public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout) => throw new NotSupportedException();

        public void CommitTransaction(TimeSpan timeout) => throw new NotSupportedException();

        public void AbortTransaction(TimeSpan timeout) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private void Accept(Message<byte[], byte[]> message)
        {
            if (Refuse is { } code)
            {
                throw new ProduceException<byte[], byte[]>(new Error(code), new DeliveryResult<byte[], byte[]> { Message = message });
            }

            if (_full-- > 0)
            {
                throw new ProduceException<byte[], byte[]>(new Error(ErrorCode.Local_QueueFull), new DeliveryResult<byte[], byte[]> { Message = message });
            }

            Accepted++;
        }
    }
}
