using System.Collections.Concurrent;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;

namespace Forecaster.Worker.Publish;

/// <summary>
/// The one way out to Kafka and the one way back: forecasts and dead letters (<see cref="ForecastPublisher"/>)
/// and state records (<see cref="Checkpoints.CheckpointWriter"/>) are produced here, each for an
/// <see cref="IDeliveryReceiver"/> and a token, and every delivery report comes back here. A report arrives on
/// the producer's thread and is only queued; <see cref="Drain"/> (the loop's settle, and every
/// <see cref="Flush"/>) applies the queued ones on the consume thread: the receiver learns of it (an offset
/// tracker releases the input offset, a checkpoint counts its record), the counters move, and the first
/// failure of a forecast or dead letter is kept for <see cref="TakeFailure"/>. When librdkafka's local queue is
/// full it waits for the queue to drain in short slices, beating <see cref="WorkerHealth"/> between them, so a
/// long back-off never reads as a stalled loop. Consume thread only, except the handlers.
/// </summary>
internal sealed class RecordCollector(IKafkaProducer producer, WorkerHealth? health, ForecasterMetrics? metrics = null) : IDisposable
{
    private static readonly TimeSpan BackOff = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentQueue<PendingDelivery> _arrived = new();
    private readonly Stack<PendingDelivery> _free = new();
    private Error? _failure;

    /// <summary>Times a produce found the local queue full (and waited).</summary>
    public long QueueFullWaits { get; private set; }

    /// <summary>Records produced whose delivery report has not been applied yet.</summary>
    public int InFlight { get; private set; }

    /// <summary>The producer, for the transactional calls (<see cref="Delivery.TransactionCalls"/>); records go through <see cref="Produce(string, Message{byte[], byte[]}, RecordKind, IDeliveryReceiver, long)"/>.</summary>
    public IKafkaProducer Producer => producer;

    /// <summary>Produces to <paramref name="topic"/> (the partitioner picks by key); the report reaches <paramref name="receiver"/> with <paramref name="token"/>.</summary>
    /// <exception cref="ProduceException{TKey, TValue}">Refused before it left (not for a full queue, which is waited out); no report will come.</exception>
    public void Produce(string topic, Message<byte[], byte[]> message, RecordKind kind, IDeliveryReceiver receiver, long token) =>
        Produce(topic, null, message, kind, receiver, token);

    /// <summary>Produces to one partition; otherwise as above.</summary>
    public void Produce(TopicPartition partition, Message<byte[], byte[]> message, RecordKind kind, IDeliveryReceiver receiver, long token) =>
        Produce(null, partition, message, kind, receiver, token);

    /// <summary>Applies every queued delivery report; returns how many.</summary>
    public int Drain()
    {
        var applied = 0;
        while (_arrived.TryDequeue(out var pending))
        {
            InFlight--;
            applied++;
            var error = pending.Error;
            if (pending.Kind != RecordKind.State)
            {
                if (error is not null)
                {
                    metrics?.DeliveryErrors.Inc();
                    _failure ??= error;
                }
                else if (pending.Kind == RecordKind.Forecast)
                {
                    metrics?.ForecastsDelivered.Inc();
                }
            }

            var (receiver, token) = (pending.Receiver, pending.Token);
            _free.Push(pending.For(null!, 0, RecordKind.State));
            receiver.Delivered(token, error);
        }

        return applied;
    }

    /// <summary>The first delivery failure of a forecast or dead letter since the last call (null: none); the commit protocol decides what it means.</summary>
    public Error? TakeFailure()
    {
        var failure = _failure;
        _failure = null;
        return failure;
    }

    /// <summary>Waits until every record is delivered or the timeout passes, then applies the reports; returns the number still in flight.</summary>
    public int Flush(TimeSpan timeout)
    {
        var left = producer.Flush(timeout);
        Drain();
        return left;
    }

    /// <summary>The producer belongs to whoever made it.</summary>
    public void Dispose()
    {
    }

    private void Produce(string? topic, TopicPartition? partition, Message<byte[], byte[]> message, RecordKind kind, IDeliveryReceiver receiver, long token)
    {
        var pending = (_free.TryPop(out var free) ? free : new PendingDelivery(_arrived.Enqueue)).For(receiver, token, kind);
        while (true)
        {
            try
            {
                if (topic is null)
                {
                    producer.Produce(partition!, message, pending.Handler);
                }
                else
                {
                    producer.Produce(topic, message, pending.Handler);
                }

                InFlight++;
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                Wait();
            }
            catch
            {
                _free.Push(pending);
                throw;
            }
        }
    }

    /// <summary>The local queue drains as the producer's thread delivers: one short slice of that, then a beat.</summary>
    private void Wait()
    {
        QueueFullWaits++;
        producer.Flush(BackOff);
        health?.Beat();
    }
}
