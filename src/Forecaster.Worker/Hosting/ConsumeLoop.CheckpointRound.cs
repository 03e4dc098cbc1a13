using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Interval checkpoints, spread over loop iterations so none pauses the loop for long. A round visits the
/// shards one at a time: a shard that changed has its input partition paused (its state cannot move, the
/// other partitions keep flowing, and the offset saved is its position at pause time), then each
/// iteration produces a bounded chunk of its series records (<c>State:CheckpointChunkMilliseconds</c>,
/// <c>State:CheckpointChunkSeries</c>). Once they are acknowledged and every forecast and dead letter of
/// the shard is too (delivery reports applied by Settle each iteration; nothing blocks), the commit marker follows; once that is acknowledged the shard's offset is stored and its partition
/// resumed. Training swaps wait while a shard is paused; a revoke or shutdown finishes the job in one go.
/// </summary>
internal sealed partial class ConsumeLoop
{
    private static readonly TimeSpan SpreadPollTimeout = TimeSpan.FromMilliseconds(1);
    private readonly Queue<ShardCheckpoint> _round = new();
    private CheckpointJob? _job;
    private bool _roundActive;
    private long _roundStarted;
    private long _roundBytes;
    private int _roundShards;
    private long _lastChunk;

    /// <summary>The consume timeout: short while a shard is paused for its checkpoint, so its chunks follow each other quickly.</summary>
    private TimeSpan ConsumeTimeout(TimeSpan idle) => _job is null ? idle : SpreadPollTimeout;

    /// <summary>True while <paramref name="shard"/> is paused for its checkpoint (its model must not be swapped).</summary>
    private bool CheckpointHolds(Shard shard) => _job is not null && ReferenceEquals(_job.Shard.Shard, shard);

    /// <summary>In the loop: starts a round when the interval has passed, advances the round in flight; the age gauge.</summary>
    private void CheckpointIfDue()
    {
        if (_checkpointWriter is null)
        {
            return;
        }

        var age = _time.GetElapsedTime(_lastCheckpoint);
        _metrics.CheckpointAge.Set(age.TotalSeconds);
        if (_fatal is not null)
        {
            return;
        }

        if (!_roundActive && age.TotalSeconds >= _state.CheckpointIntervalSeconds)
        {
            _round.Clear();
            foreach (var shard in _checkpoints.Values)
            {
                _round.Enqueue(shard);
            }

            _roundActive = true;
            _roundStarted = Stopwatch.GetTimestamp();
            _roundBytes = 0;
            _roundShards = 0;
        }

        if (_roundActive && Stopwatch.GetElapsedTime(_lastChunk).TotalMilliseconds >= _state.CheckpointChunkIntervalMs)
        {
            AdvanceRound();
        }
    }

    /// <summary>One iteration's share of the round: at most one chunk budget of work, then back to consuming.</summary>
    private void AdvanceRound()
    {
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(_state.CheckpointChunkMilliseconds * Stopwatch.Frequency / 1000.0);
        while (_job is not null || TryBeginCheckpointJob())
        {
            if (!Settled(_job!.Advance(until, _state.CheckpointChunkSeries)) || Stopwatch.GetTimestamp() >= until)
            {
                break;
            }
        }

        if (_job is null && _round.Count == 0)
        {
            EndRound();
        }

        _lastChunk = Stopwatch.GetTimestamp();
        _metrics.CheckpointPause.WithLabels(CheckpointTriggers.Interval).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Pauses the next shard of the round that changed and starts its job; stores the offsets of unchanged ones on the way.</summary>
    private bool TryBeginCheckpointJob()
    {
        while (_round.TryDequeue(out var shard))
        {
            if (!_checkpoints.TryGetValue((shard.Topic, shard.Shard.Partition), out var current) || !ReferenceEquals(current, shard))
            {
                continue; // Revoked or lost since the round began.
            }

            shard.Shard.Flush();
            var position = shard.Position;
            if (position < 0 || !shard.HasChanges(position))
            {
                StoreCheckpointedOffset(shard);
                continue;
            }

            SetPaused(shard, paused: true);
            _job = new CheckpointJob(_checkpointWriter!, shard, position, TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
            StateLog.CheckpointBegun(_logger, shard.Topic, shard.Shard.Partition, shard.NextSequence, _job.SeriesToWrite, position);
            return true;
        }

        return false;
    }

    /// <summary>After an <see cref="CheckpointJob.Advance"/>: completes or abandons a finished job; true when the job ended.</summary>
    private bool Settled(CheckpointPhase phase)
    {
        var job = _job!;
        if (phase == CheckpointPhase.Done)
        {
            CheckpointWriter.Commit(job.Shard, job.Position);
            StoreCheckpointedOffset(job.Shard);
            _roundBytes += job.Bytes;
            _roundShards++;
        }
        else if (phase == CheckpointPhase.Failed)
        {
            job.Shard.Full = true;
            job.Shard.NextSequence++;
            _metrics.CheckpointFailures.Inc();
            StateLog.CheckpointFailed(_logger, $"{job.Shard.Topic} [{job.Shard.Shard.Partition}]: {job.FailureReason}");
        }
        else
        {
            return false;
        }

        _job = null;
        SetPaused(job.Shard, paused: false);
        return true;
    }

    private void EndRound()
    {
        _roundActive = false;
        _lastCheckpoint = _time.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_roundStarted).TotalSeconds;
        _metrics.CheckpointAge.Set(0);
        _metrics.CheckpointBytes.Inc(_roundBytes);
        _metrics.CheckpointDuration.Observe(seconds);
        StateLog.Checkpointed(_logger, _roundShards, _roundBytes, seconds);
    }

    /// <summary>Revoke and shutdown: drives the job in flight to its end now (waiting on the producer instead of returning to the loop).</summary>
    private void FinishCheckpointJob()
    {
        while (_job is not null)
        {
            if (_fatal is not null)
            {
                DropCheckpointJob(_job.Shard.Topic, _job.Shard.Shard.Partition);
                return;
            }

            if (!Settled(_job.Advance(long.MaxValue, int.MaxValue)))
            {
                _publisher!.Flush(TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
                Settle();
            }
        }
    }

    /// <summary>Lost or revoked without a checkpoint: the job of that shard is dropped (its records, without a marker, never count).</summary>
    private void DropCheckpointJob(string topic, int partition)
    {
        if (_job is not null && _job.Shard.Topic == topic && _job.Shard.Shard.Partition == partition)
        {
            SetPaused(_job.Shard, paused: false);
            _job = null;
        }
    }

    private void SetPaused(ShardCheckpoint shard, bool paused)
    {
        var partitions = new[] { new TopicPartition(shard.Topic, shard.Shard.Partition) };
        try
        {
            if (paused)
            {
                _consumer!.Pause(partitions);
            }
            else
            {
                _consumer!.Resume(partitions);
            }
        }
        catch (KafkaException e)
        {
            // A pause that did not take is caught by the job (the shard moves, the job fails); a partition
            // that cannot be resumed is no longer assigned.
            OnError(e.Error);
        }
    }
}
