using System.Diagnostics;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Interval checkpoints, spread over loop iterations so none pauses the loop for long. A round visits the
/// shards one at a time: a shard that changed is frozen (its input partition paused, so its state cannot
/// move while the other partitions keep flowing, and the offset saved is its position at pause time), then
/// each turn produces a bounded chunk of its series records (<c>State:CheckpointChunkMilliseconds</c>,
/// <c>State:CheckpointChunkSeries</c>). Once they and every forecast and dead letter of the shard are
/// acknowledged (reports applied by the loop's settle; nothing blocks), the commit marker follows; once
/// that is acknowledged the shard's offset is stored and its partition resumed. A revoke or shutdown
/// finishes the job in flight in one go (<see cref="Finish"/>). The next round starts an interval after the last one
/// ended; the age gauge counts from the last round in which no shard failed, so checkpoints that keep failing show
/// as an age that keeps growing.
/// </summary>
internal sealed class CheckpointRound(LoopServices loop, CheckpointWriter writer, Action flushAndSettle)
{
    private readonly Queue<ShardCheckpoint> _round = new();
    private CheckpointJob? _job;
    private bool _active;
    private long _started;
    private long _bytes;
    private int _shards;
    private long _lastChunk;
    private long _lastCheckpoint = loop.Time.GetTimestamp();
    private long _lastComplete = loop.Time.GetTimestamp();
    private bool _roundFailed;

    /// <summary>A shard is frozen for its checkpoint.</summary>
    public bool Busy => _job is not null;

    /// <summary>Every shard was checkpointed just now (the age gauge and the interval start again).</summary>
    public void Checkpointed()
    {
        _lastCheckpoint = _lastComplete = loop.Time.GetTimestamp();
        loop.Metrics.CheckpointAge.Set(0);
    }

    /// <summary>In the loop: starts a round when the interval has passed, advances the round in flight; the age gauge.</summary>
    public void IfDue()
    {
        var age = loop.Time.GetElapsedTime(_lastCheckpoint);
        loop.Metrics.CheckpointAge.Set(loop.Time.GetElapsedTime(_lastComplete).TotalSeconds);
        if (loop.Failure.Failed)
        {
            return;
        }

        if (!_active && age.TotalSeconds >= loop.State.CheckpointIntervalSeconds)
        {
            _round.Clear();
            foreach (var shard in loop.Shards.Checkpoints())
            {
                _round.Enqueue(shard);
            }

            _active = true;
            _roundFailed = false;
            _started = Stopwatch.GetTimestamp();
            _bytes = 0;
            _shards = 0;
        }

        if (_active && Stopwatch.GetElapsedTime(_lastChunk).TotalMilliseconds >= loop.State.CheckpointChunkIntervalMs)
        {
            Advance();
        }
    }

    /// <summary>Revoke and shutdown: drives the job in flight to its end now (waiting on the producer instead of returning to the loop).</summary>
    public void Finish()
    {
        while (_job is not null)
        {
            if (loop.Failure.Failed)
            {
                Drop(_job.Shard.Topic, _job.Shard.Shard.Partition);
                return;
            }

            if (!Settled(_job.Advance(long.MaxValue, int.MaxValue)))
            {
                flushAndSettle();
            }
        }
    }

    /// <summary>Lost or revoked: the job of that shard is dropped (its records, without a marker, never count).</summary>
    public void Drop(string topic, int partition)
    {
        if (_job is not null && _job.Shard.Topic == topic && _job.Shard.Shard.Partition == partition)
        {
            ShardFreeze.Set(loop, _job.Shard, frozen: false);
            _job = null;
        }
    }

    /// <summary>One iteration's share of the round: at most one chunk budget of work, then back to consuming.</summary>
    private void Advance()
    {
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(loop.State.CheckpointChunkMilliseconds * Stopwatch.Frequency / 1000.0);
        while (_job is not null || TryBegin())
        {
            if (!Settled(_job!.Advance(until, loop.State.CheckpointChunkSeries)) || Stopwatch.GetTimestamp() >= until)
            {
                break;
            }
        }

        if (_job is null && _round.Count == 0)
        {
            End();
        }

        _lastChunk = Stopwatch.GetTimestamp();
        loop.Metrics.CheckpointPause.WithLabels(CheckpointTriggers.Interval).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Freezes the next shard of the round that changed and starts its job; stores the offsets of unchanged ones on the way.</summary>
    private bool TryBegin()
    {
        while (_round.TryDequeue(out var shard))
        {
            if (!loop.Shards.TryGet(shard.Topic, shard.Shard.Partition, out var current) || !ReferenceEquals(current.Checkpoint, shard))
            {
                continue; // Revoked or lost since the round began.
            }

            shard.Shard.Flush();
            var position = shard.Position;
            if (position < 0 || !shard.HasChanges(position))
            {
                CheckpointOffsets.Store(loop, shard);
                continue;
            }

            ShardFreeze.Set(loop, shard, frozen: true);
            _job = new CheckpointJob(writer, shard, position, loop.FlushTimeout);
            StateLog.CheckpointBegun(loop.Logger, shard.Topic, shard.Shard.Partition, shard.NextSequence, _job.SeriesToWrite, position);
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
            CheckpointOffsets.Store(loop, job.Shard);
            loop.Metrics.CheckpointBytes.Inc(job.Bytes); // Counted per shard: a round that shutdown cuts short still counts what it wrote.
            _bytes += job.Bytes;
            _shards++;
        }
        else if (phase == CheckpointPhase.Failed)
        {
            job.Shard.Full = true;
            job.Shard.NextSequence++;
            _roundFailed = true;
            loop.Metrics.CheckpointFailures.Inc();
            StateLog.CheckpointFailed(loop.Logger, $"{job.Shard.Topic} [{job.Shard.Shard.Partition}]: {job.FailureReason}");
        }
        else
        {
            return false;
        }

        _job = null;
        ShardFreeze.Set(loop, job.Shard, frozen: false);
        return true;
    }

    private void End()
    {
        _active = false;
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        if (_roundFailed)
        {
            _lastCheckpoint = loop.Time.GetTimestamp(); // the next round, a full one for the failed shards, after an interval
        }
        else
        {
            Checkpointed();
        }

        loop.Metrics.CheckpointDuration.Observe(seconds);
        StateLog.Checkpointed(loop.Logger, _shards, _bytes, seconds);
    }
}
