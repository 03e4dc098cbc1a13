using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Exactly-once mode (<c>Kafka:ExactlyOnce</c>). One transaction is always open on the producer, and
/// everything the loop produces (forecasts, dead letters) goes into it. Every <c>Kafka:TransactionIntervalMs</c>,
/// on revoke and at shutdown the transaction receives the checkpoint of every shard that changed and the
/// input offset each shard has absorbed (<c>SendOffsetsToTransaction</c> with the consumer's group metadata),
/// then commits: a read_committed reader sees a shard's forecasts, its state and its input position move
/// together or not at all. A failed delivery, a failed commit or lost partitions abort the transaction,
/// and then every shard is rewound: dropped, restored from its last committed checkpoint and its input
/// sought back to that checkpoint's offset, exactly as on a fresh assignment, so whatever the aborted
/// transaction held is computed again. Offsets are never stored on the consumer in this mode.
/// </summary>
internal sealed partial class ConsumeLoop
{
    /// <summary>Longest a single transactional call blocks the loop before it is retried (the health beat goes on between tries).</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    private IKafkaProducer? _transactional;
    private CancellationToken _stopping;
    private long _lastCommit;
    private long _committedTransactions;
    private long _consumedAtCommit;
    private string? _abortReason;

    private bool ExactlyOnce => _kafka.ExactlyOnce;

    private void StartTransactions(IKafkaProducer producer, CancellationToken stop)
    {
        _stopping = stop;
        if (!ExactlyOnce)
        {
            return;
        }

        TransactionLog.Started(_logger, _kafka.EffectiveTransactionalId, _kafka.TransactionIntervalMs);
        _transactional = producer;
        try
        {
            // Fences an earlier producer with this id: its open transaction is aborted by the coordinator.
            if (!Retrying(producer.InitTransactions))
            {
                return;
            }

            producer.BeginTransaction();
        }
        catch (KafkaException e)
        {
            _fatal ??= e.Error;
            WorkerLog.KafkaFatal(_logger, e.Error.Code.ToString(), e.Error.Reason);
        }

        _lastCommit = _time.GetTimestamp();
    }

    /// <summary>Checkpoints (at-least-once) or ends the open transaction (exactly-once), for revoke and shutdown.</summary>
    private void Persist(List<ShardCheckpoint> shards)
    {
        if (!ExactlyOnce)
        {
            Checkpoint(shards);
        }
        else if (_abortReason is null)
        {
            CommitTransaction();
        }
        else if (_transactional is not null && _fatal is null)
        {
            AbortTransaction(); // Now rather than at the next rewind (revoke) or never (shutdown).
        }
    }

    /// <summary>Lost partitions may already be owned elsewhere: the open transaction, which holds their work, must not commit.</summary>
    private void AbortOnLost()
    {
        if (ExactlyOnce)
        {
            _abortReason ??= "partitions lost";
        }
    }

    /// <summary>In the loop: rewinds after an abort, else commits once the interval has passed since the transaction's first record.</summary>
    private void TransactIfDue()
    {
        if (_transactional is null || _fatal is not null)
        {
            return;
        }

        if (_abortReason is not null)
        {
            Rewind();
        }
        else if (ConsumedRecords == _consumedAtCommit)
        {
            _lastCommit = _time.GetTimestamp(); // Idle: the interval of the next transaction starts with its first record.
        }
        else if (_time.GetElapsedTime(_lastCommit).TotalMilliseconds >= _kafka.TransactionIntervalMs)
        {
            CommitTransaction();
        }
    }

    /// <summary>
    /// Adds the checkpoint of every changed shard and the offsets they absorbed to the open transaction and
    /// commits it; a transaction with no change is left open. On failure the transaction is aborted and
    /// the shards wait for <see cref="Rewind"/> (in the loop).
    /// </summary>
    private void CommitTransaction()
    {
        if (_transactional is null || _fatal is not null || _abortReason is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        _lastCommit = _time.GetTimestamp();
        _consumedAtCommit = ConsumedRecords;
        Settle();
        if (_abortReason is not null)
        {
            AbortTransaction();
            return;
        }

        var written = new List<(ShardCheckpoint Shard, long Position)>();
        var offsets = new List<TopicPartitionOffset>();
        long bytes = 0;
        var acks = new CheckpointAcks(); // The transaction commit acknowledges them all; a record refused at produce aborts it.
        try
        {
            foreach (var shard in _checkpoints.Values)
            {
                var position = shard.Position;
                if (position >= 0 && shard.HasChanges(position))
                {
                    bytes += _checkpointWriter!.Write(shard, position, acks);
                    written.Add((shard, position));
                    offsets.Add(new TopicPartitionOffset(shard.Topic, shard.Shard.Partition, position));
                }
            }

            if (acks.Failed)
            {
                throw new KafkaException(acks.LastError ?? new Error(ErrorCode.Local_Fail, "a state record was refused"));
            }

            if (written.Count == 0)
            {
                return; // Nothing was produced since the last commit.
            }

            var group = _consumer!.ConsumerGroupMetadata;
            var sent = Retrying(t => _transactional.SendOffsetsToTransaction(offsets, group, t));

            // Flushing first sends what lingers at once (a commit alone would wait out linger.ms).
            if (!sent || !Retrying(Flush) || !Retrying(_transactional.CommitTransaction))
            {
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut, "the transaction could not be committed before shutdown"));
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            _abortReason ??= e.Error.Reason;
            AbortTransaction();
            return;
        }
        catch (KafkaException e)
        {
            OnError(e.Error);
            return;
        }

        foreach (var (shard, position) in written)
        {
            CheckpointWriter.Commit(shard, position);
        }

        _committedTransactions++;
        _metrics.Transactions.WithLabels("committed").Inc();
        _metrics.CheckpointAge.Set(0);
        _metrics.CheckpointBytes.Inc(bytes);
        _metrics.CheckpointDuration.Observe(clock.Elapsed.TotalSeconds);
        _lastCheckpoint = _time.GetTimestamp();
        TransactionLog.Committed(_logger, _committedTransactions, written.Count, bytes, clock.Elapsed.TotalSeconds);
        Begin();
    }

    /// <summary>Aborts the open transaction (what it produced is purged or marked aborted), discards the purged deliveries' reports and opens the next one.</summary>
    private void AbortTransaction()
    {
        TransactionLog.Aborted(_logger, _abortReason ?? "unknown");
        _metrics.Transactions.WithLabels("aborted").Inc();
        try
        {
            if (!Retrying(_transactional!.AbortTransaction))
            {
                return; // Stopping with the brokers away: the coordinator aborts it after transaction.timeout.ms.
            }
        }
        catch (KafkaException e)
        {
            OnError(e.Error.IsFatal ? e.Error : new Error(e.Error.Code, e.Error.Reason, isFatal: true));
            return;
        }

        _publisher!.Flush(AttemptTimeout);
        _publisher.DrainAcknowledgements();
        Begin();
    }

    private void Begin()
    {
        try
        {
            _transactional!.BeginTransaction();
        }
        catch (KafkaException e)
        {
            OnError(new Error(e.Error.Code, e.Error.Reason, isFatal: true));
        }
    }

    private void Flush(TimeSpan timeout)
    {
        if (_transactional!.Flush(timeout) > 0)
        {
            throw new KafkaRetriableException(new Error(ErrorCode.Local_TimedOut, "records of the transaction still in flight"));
        }
    }

    /// <summary>
    /// Calls a transactional operation, again after each retriable failure (a broker outage), beating the
    /// health clock in between; false when the worker is stopping and the flush timeout has passed.
    /// </summary>
    /// <exception cref="KafkaException">A failure that is not retriable.</exception>
    private bool Retrying(Action<TimeSpan> call)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                call(AttemptTimeout);
                return true;
            }
            catch (KafkaRetriableException e)
            {
                _health.Beat();
                _metrics.KafkaErrors.WithLabels("false").Inc();
                if (_stopping.IsCancellationRequested && _time.GetElapsedTime(started).TotalMilliseconds > _kafka.FlushTimeoutMs)
                {
                    WorkerLog.KafkaError(_logger, e.Error.Code.ToString(), e.Error.Reason);
                    return false;
                }
            }
        }
    }
}
