using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// The producer's transactional calls as exactly-once mode makes them: each retried after a retriable failure
/// (a broker outage) with the health clock beating in between, and given up only when the worker is stopping
/// and the flush timeout has passed.
/// </summary>
internal sealed class TransactionCalls(LoopServices loop, IKafkaProducer producer)
{
    /// <summary>Longest a single transactional call blocks the loop before it is retried (the health beat goes on between tries).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    public IKafkaProducer Producer => producer;

    /// <summary>Fences an earlier producer with this transactional id (its open transaction is aborted by the coordinator) and opens the first transaction; a failure is fatal.</summary>
    public void Init()
    {
        TransactionLog.Started(loop.Logger, loop.Kafka.EffectiveTransactionalId, loop.Kafka.TransactionIntervalMs);
        try
        {
            if (Retrying(producer.InitTransactions))
            {
                producer.BeginTransaction();
            }
        }
        catch (KafkaException e)
        {
            loop.Failure.Fail(e.Error);
            WorkerLog.KafkaFatal(loop.Logger, e.Error.Code.ToString(), e.Error.Reason);
        }
    }

    /// <summary>Flushes so that the commit does not wait out linger.ms; retriable while records of the transaction are in flight.</summary>
    public void Flush(TimeSpan timeout)
    {
        if (producer.Flush(timeout) > 0)
        {
            throw new KafkaRetriableException(new Error(ErrorCode.Local_TimedOut, "records of the transaction still in flight"));
        }
    }

    /// <summary>Opens the next transaction; a failure to is fatal.</summary>
    public void Begin()
    {
        try
        {
            producer.BeginTransaction();
        }
        catch (KafkaException e)
        {
            loop.Failure.OnError(new Error(e.Error.Code, e.Error.Reason, isFatal: true));
        }
    }

    /// <summary>
    /// Calls a transactional operation, again after each retriable failure, beating the health clock in
    /// between; false when the worker is stopping and the flush timeout has passed.
    /// </summary>
    /// <exception cref="KafkaException">A failure that is not retriable.</exception>
    public bool Retrying(Action<TimeSpan> call)
    {
        var started = loop.Time.GetTimestamp();
        while (true)
        {
            try
            {
                call(AttemptTimeout);
                return true;
            }
            catch (KafkaRetriableException e)
            {
                loop.Health.Beat();
                loop.Metrics.KafkaErrors.WithLabels("false").Inc();
                if (loop.Stopping.IsCancellationRequested && loop.Time.GetElapsedTime(started).TotalMilliseconds > loop.Kafka.FlushTimeoutMs)
                {
                    WorkerLog.KafkaError(loop.Logger, e.Error.Code.ToString(), e.Error.Reason);
                    return false;
                }
            }
        }
    }
}
