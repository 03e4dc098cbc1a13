using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// Exactly-once (<c>Kafka:ExactlyOnce</c>). One transaction is always open on the producer, and everything
/// the loop produces (forecasts, dead letters) goes into it. Every <c>Kafka:TransactionIntervalMs</c>, on
/// revoke and at shutdown the transaction receives the checkpoint of every shard that changed and the input
/// offset each has absorbed (<c>SendOffsetsToTransaction</c> with the consumer's group metadata), then
/// commits: a read_committed reader sees a shard's forecasts, its state and its input position move together
/// or not at all. A failed delivery, a failed commit or lost partitions abort the transaction, and then every
/// shard is rewound (<see cref="ShardRewind"/>). Offsets are never stored on the consumer in this mode.
/// </summary>
internal sealed class TransactionalCommit(LoopServices loop, TransactionCalls calls, ShardRewind rewind, Func<long> consumed) : ICommitProtocol
{
    private readonly OffsetSettler _settler = new(loop);
    private long _lastCommit;
    private long _committed;
    private long _consumedAtCommit;
    private string? _abortReason;

    public TimeSpan PollTimeout(TimeSpan idle) => idle;

    public void Start()
    {
        calls.Init();
        _lastCommit = loop.Time.GetTimestamp();
    }

    /// <summary>A failed delivery dooms the open transaction (it aborts at the next commit or turn of the loop).</summary>
    public void Settle()
    {
        if (_settler.Settle(storeOffsets: !loop.State.Enabled) is { } failure && !loop.Failure.Failed)
        {
            _abortReason ??= $"delivery failed: {failure.Reason}";
        }
    }

    /// <summary>Rewinds after an abort, else commits once the interval has passed since the transaction's first record.</summary>
    public void Punctuate()
    {
        if (loop.Failure.Failed)
        {
            return;
        }

        if (_abortReason is not null)
        {
            Abort();
            _abortReason = null;
            rewind.Run();
        }
        else if (consumed() == _consumedAtCommit)
        {
            _lastCommit = loop.Time.GetTimestamp(); // Idle: the interval of the next transaction starts with its first record.
        }
        else if (loop.Time.GetElapsedTime(_lastCommit).TotalMilliseconds >= loop.Kafka.TransactionIntervalMs)
        {
            Commit();
        }
    }

    public void Revoked(IReadOnlyList<OwnedShard> revoked) => End();

    /// <summary>Lost partitions may already be owned elsewhere: the open transaction, which holds their work, must not commit.</summary>
    public void Lost() => _abortReason ??= "partitions lost";

    public void Dropped(OwnedShard owned)
    {
    }

    public void Shutdown() => End();

    /// <summary>Revoke and shutdown: commits the open transaction, or aborts it now rather than at the next rewind (revoke) or never (shutdown).</summary>
    private void End()
    {
        if (_abortReason is null)
        {
            Commit();
        }
        else if (!loop.Failure.Failed)
        {
            Abort();
        }
    }

    /// <summary>
    /// Adds the checkpoint of every changed shard and the offsets they absorbed to the open transaction and
    /// commits it; a transaction with no change is left open. On failure the transaction is aborted and the
    /// shards wait for the rewind (in the loop).
    /// </summary>
    private void Commit()
    {
        if (loop.Failure.Failed || _abortReason is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        _lastCommit = loop.Time.GetTimestamp();
        _consumedAtCommit = consumed();
        Settle();
        if (_abortReason is not null)
        {
            Abort();
            return;
        }

        var written = new List<(ShardCheckpoint Shard, long Position)>();
        var offsets = new List<TopicPartitionOffset>();
        long bytes = 0;
        var acks = new CheckpointAcks(); // The transaction commit acknowledges them all; a record refused at produce aborts it.
        try
        {
            foreach (var shard in loop.Shards.Checkpoints())
            {
                var position = shard.Position;
                if (position >= 0 && shard.HasChanges(position))
                {
                    bytes += loop.Writer!.Write(shard, position, acks);
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

            var group = loop.Consumer.ConsumerGroupMetadata;

            // Flushing first sends what lingers at once (a commit alone would wait out linger.ms).
            if (!calls.Retrying(t => calls.Producer.SendOffsetsToTransaction(offsets, group, t)) || !calls.Retrying(calls.Flush) || !calls.Retrying(calls.Producer.CommitTransaction))
            {
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut, "the transaction could not be committed before shutdown"));
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            _abortReason ??= e.Error.Reason;
            Abort();
            return;
        }
        catch (KafkaException e)
        {
            loop.Failure.OnError(e.Error);
            return;
        }

        foreach (var (shard, position) in written)
        {
            CheckpointWriter.Commit(shard, position);
        }

        _committed++;
        loop.Metrics.Transactions.WithLabels("committed").Inc();
        loop.Metrics.CheckpointAge.Set(0);
        loop.Metrics.CheckpointBytes.Inc(bytes);
        loop.Metrics.CheckpointDuration.Observe(clock.Elapsed.TotalSeconds);
        TransactionLog.Committed(loop.Logger, _committed, written.Count, bytes, clock.Elapsed.TotalSeconds);
        calls.Begin();
    }

    /// <summary>Aborts the open transaction (what it produced is purged or marked aborted), discards the purged deliveries' reports and opens the next one.</summary>
    private void Abort()
    {
        TransactionLog.Aborted(loop.Logger, _abortReason ?? "unknown");
        loop.Metrics.Transactions.WithLabels("aborted").Inc();
        try
        {
            if (!calls.Retrying(calls.Producer.AbortTransaction))
            {
                return; // Stopping with the brokers away: the coordinator aborts it after transaction.timeout.ms.
            }
        }
        catch (KafkaException e)
        {
            loop.Failure.OnError(e.Error.IsFatal ? e.Error : new Error(e.Error.Code, e.Error.Reason, isFatal: true));
            return;
        }

        loop.Collector.Flush(TransactionCalls.AttemptTimeout);
        loop.Collector.TakeFailure(); // The purged records' failures are the abort's, not news.
        calls.Begin();
    }
}
