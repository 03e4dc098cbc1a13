using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Forecaster.Worker.Tests.Publish;

public class RecordCollectorTests
{
    private static readonly Message<byte[], byte[]> Record = new() { Key = [1], Value = [2] };

    [Fact]
    public void A_full_local_queue_is_waited_out_with_the_health_clock_beating()
    {
        var time = new FakeTimeProvider();
        var health = new WorkerHealth(time);
        var producer = new ScriptedProducer(fullFor: 4, time, drainTakes: TimeSpan.FromSeconds(25));
        var collector = new RecordCollector(producer, health);

        collector.Produce("out", Record, RecordKind.Forecast, new Receiver(), 7);

        Assert.Equal(1, producer.Accepted);
        Assert.Equal(4, collector.QueueFullWaits);
        Assert.Equal(TimeSpan.FromSeconds(100), time.GetUtcNow() - new FakeTimeProvider().GetUtcNow());
        Assert.True(health.IsLive(TimeSpan.FromSeconds(60)), "a 100 s back-off read as a stalled loop");
        Assert.Equal(1, collector.InFlight);
    }

    [Fact]
    public void Other_refusals_reach_the_caller_and_leave_nothing_in_flight()
    {
        var collector = new RecordCollector(new ScriptedProducer(fullFor: 0, new FakeTimeProvider(), TimeSpan.Zero) { Refuse = ErrorCode.MsgSizeTooLarge }, health: null);

        var e = Assert.Throws<ProduceException<byte[], byte[]>>(() => collector.Produce(new TopicPartition("state", 0), Record, RecordKind.State, new Receiver(), 0));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, e.Error.Code);
        Assert.Equal(0, collector.InFlight);
    }

    [Fact]
    public void Reports_reach_their_receivers_only_when_drained_on_the_callers_thread()
    {
        var producer = new ScriptedProducer(fullFor: 0, new FakeTimeProvider(), TimeSpan.Zero);
        var metrics = new ForecasterMetrics(new CollectorRegistry());
        var collector = new RecordCollector(producer, health: null, metrics);
        var (first, second) = (new Receiver(), new Receiver());
        collector.Produce("out", Record, RecordKind.Forecast, first, 10);
        collector.Produce("dlq", Record, RecordKind.DeadLetter, second, 11);
        collector.Produce("out", Record, RecordKind.Forecast, first, 12);

        producer.Deliver(0, error: null);
        producer.Deliver(1, new Error(ErrorCode.MsgSizeTooLarge));
        Assert.Empty(first.Reports); // Queued, not applied, on the producer's thread.

        Assert.Equal(2, collector.Drain());
        Assert.Equal([(10L, (ErrorCode?)null)], first.Reports);
        Assert.Equal([(11L, (ErrorCode?)ErrorCode.MsgSizeTooLarge)], second.Reports);
        Assert.Equal(1, collector.InFlight);
        Assert.Equal(1, metrics.ForecastsDelivered.Value);
        Assert.Equal(1, metrics.DeliveryErrors.Value);
        Assert.Equal(ErrorCode.MsgSizeTooLarge, collector.TakeFailure()?.Code);
        Assert.Null(collector.TakeFailure());

        producer.Deliver(2, error: null);
        Assert.Equal(0, collector.Flush(TimeSpan.Zero)); // A flush applies what arrived.
        Assert.Equal([(10L, (ErrorCode?)null), (12L, (ErrorCode?)null)], first.Reports);
        Assert.Equal(0, collector.InFlight);
    }

    [Fact]
    public void A_state_record_that_fails_fails_its_checkpoint_not_the_loop()
    {
        var producer = new ScriptedProducer(fullFor: 0, new FakeTimeProvider(), TimeSpan.Zero);
        var collector = new RecordCollector(producer, health: null);
        var acks = new CheckpointAcks();
        acks.Produced();
        collector.Produce(new TopicPartition("state", 0), Record, RecordKind.State, acks, 0);
        acks.Produced();
        collector.Produce(new TopicPartition("state", 0), Record, RecordKind.State, acks, 0);

        producer.Deliver(0, error: null);
        producer.Deliver(1, new Error(ErrorCode.TopicAuthorizationFailed));
        Assert.Equal(2, acks.InFlight); // Counted only when applied.
        collector.Drain();

        Assert.False(acks.Completed(out var error));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, error?.Code);
        Assert.Equal(0, acks.InFlight);
        Assert.Null(collector.TakeFailure());
    }

    [Fact]
    public void A_forecast_releases_its_input_offset_once_delivered_and_never_when_it_failed()
    {
        var producer = new ScriptedProducer(fullFor: 0, new FakeTimeProvider(), TimeSpan.Zero);
        var collector = new RecordCollector(producer, health: null);
        var offsets = new OffsetTracker();
        foreach (var offset in new long[] { 5, 6 })
        {
            offsets.Register(offset);
            offsets.Hold(offset);
            offsets.Sent();
            offsets.Release(offset); // The record itself is handled; its forecast is in flight.
            collector.Produce("out", Record, RecordKind.Forecast, offsets, offset);
        }

        producer.Deliver(0, error: null);
        producer.Deliver(1, new Error(ErrorCode.Local_MsgTimedOut));
        Assert.False(offsets.TryAdvance(out _));
        collector.Drain();

        Assert.True(offsets.TryAdvance(out var next));
        Assert.Equal(6, next); // 5 done; 6 stays outstanding, so the stored offset never passes it.
        Assert.Equal(0, offsets.Unacknowledged);
    }

    [Fact]
    public void Handlers_are_reused_once_their_report_is_applied()
    {
        var producer = new ScriptedProducer(fullFor: 0, new FakeTimeProvider(), TimeSpan.Zero);
        var collector = new RecordCollector(producer, health: null);
        var receiver = new Receiver();
        for (var i = 0; i < 3; i++)
        {
            collector.Produce("out", Record, RecordKind.Forecast, receiver, i);
            producer.Deliver(i, error: null);
            collector.Drain();
        }

        Assert.Single(producer.Handlers.Distinct());
        Assert.Equal([(0L, (ErrorCode?)null), (1L, null), (2L, null)], receiver.Reports);
    }

    private sealed class Receiver : IDeliveryReceiver
    {
        public List<(long Token, ErrorCode? Error)> Reports { get; } = [];

        public void Delivered(long token, Error? error) => Reports.Add((token, error?.Code));
    }

    /// <summary>
    /// Refuses the first <c>fullFor</c> produces with a full queue; each flush takes <c>drainTakes</c> of fake time;
    /// keeps every accepted record's handler for the test to deliver (as librdkafka's thread would).
    /// </summary>
    private sealed class ScriptedProducer(int fullFor, FakeTimeProvider time, TimeSpan drainTakes) : IKafkaProducer
    {
        private int _full = fullFor;

        public int Accepted { get; private set; }

        public ErrorCode? Refuse { get; init; }

        public List<Action<DeliveryReport<byte[], byte[]>>> Handlers { get; } = [];

        public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) => Accept(message, onDelivery);

        public void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) => Accept(message, onDelivery);

        /// <summary>The report of the <paramref name="index"/>th accepted record.</summary>
        public void Deliver(int index, Error? error) =>
            Handlers[index](new DeliveryReport<byte[], byte[]> { Error = error ?? new Error(ErrorCode.NoError), Status = error is null ? PersistenceStatus.Persisted : PersistenceStatus.NotPersisted });

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

        private void Accept(Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
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
            Handlers.Add(onDelivery);
        }
    }
}
