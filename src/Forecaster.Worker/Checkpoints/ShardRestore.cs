using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// One shard's finished state read, applied a share per loop turn (<see cref="Advance"/>): first the series and
/// model go into the shard (<see cref="RestorePut"/>), then the stale series are re-warmed (<see cref="GroupRewarm"/>);
/// each share runs for at most <c>State:CheckpointChunkMilliseconds</c> and <c>State:RestoreChunkSeriesSteps</c>
/// units (a series put, or one series through one LSTM step), with at least one unit and a health beat after it; then the checkpoint bookkeeping is set and <see cref="Start"/> says where input
/// resumes. The partition stays paused (phase <see cref="ShardPhase.Restoring"/>) until <see cref="Done"/>. A
/// refused checkpoint starts the shard empty (a full checkpoint follows); a state topic that cannot be read ends the loop.
/// </summary>
internal sealed class ShardRestore(LoopServices loop, OwnedShard owned, Task<StateRead> read, int rewarmSteps)
{
    private readonly Stopwatch _clock = new();
    private TimeSpan _took;
    private StateRead? _result;
    private List<SeriesEntry> _stale = [];
    private RestorePut? _put;
    private GroupRewarm? _rewarm;

    /// <summary>The shard is applied (or refused): the restoring count is down by one.</summary>
    public bool Done { get; private set; }

    /// <summary>Once <see cref="Done"/>: where the shard's input resumes (unset: no state to say).</summary>
    public Offset Start { get; private set; } = Offset.Unset;

    /// <summary>Loop turns this apply has taken so far.</summary>
    public int Turns { get; private set; }

    /// <summary>One turn's share, until the Stopwatch timestamp <paramref name="until"/> (at least one unit); true once <see cref="Done"/>.</summary>
    public bool Advance(long until)
    {
        var (topic, partition, shard) = (owned.Topic, owned.Partition, owned.Shard);
        using var scope = PartitionScope.Begin(loop.Logger, topic, partition);
        Turns++;
        try
        {
            if (_result is null && !Begin())
            {
                return Done;
            }

            var most = loop.State.RestoreChunkSeriesSteps > 0 ? loop.State.RestoreChunkSeriesSteps : long.MaxValue; // units: a series put, or one series through one LSTM step
            var put = _put!;
            if (!put.Done)
            {
                if (!Share(() => put.Advance(1), () => put.Work, most, until))
                {
                    return false;
                }

                _stale = put.Stale;
                _rewarm = RestoreApplier.Start(owned.Shard, _stale, rewarmSteps);
                if (_rewarm is not null)
                {
                    return false; // the re-warm starts with the next share
                }
            }

            if (_rewarm is { } rewarm && !Share(() => rewarm.Advance(1), () => rewarm.Work, most, until))
            {
                return false;
            }

            var restored = _result!.State!;
            RestoreApplier.Finish(shard, restored, _stale, loop.Logger, topic);
            owned.Checkpoint = new ShardCheckpoint(topic, shard, _result.HighestSequence + 1, restored.InputOffset, restored.Orphans);
            loop.Metrics.SeriesRestored.Inc(restored.Series.Count);
            StateLog.Restored(loop.Logger, topic, partition, restored.Series.Count, ModelVersions(shard), restored.Sequence, restored.InputOffset, (_took + _clock.Elapsed).TotalSeconds);
            End(new Offset(restored.InputOffset));
        }
        catch (StateRestoreException e)
        {
            loop.Metrics.RestoreFailures.Inc();
            StateLog.Refused(loop.Logger, topic, partition, e.Message);
            owned.Checkpoint = new ShardCheckpoint(topic, shard, e.HighestSequence + 1, -1, e.Orphans);
            End(Offset.Unset);
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            StateLog.RestoreFailed(loop.Logger, topic, partition, e.Message);
            loop.Failure.Fail(new Error(ErrorCode.Local_Fail, $"Restore of {owned.TopicPartition} failed: {e.Message}"));
            End(Offset.Unset);
        }

        return Done;
    }

    /// <summary>
    /// One share of a part of the restore (the put, or the re-warm): a unit at a time until it is done, <paramref name="most"/>
    /// units have run or the Stopwatch timestamp <paramref name="until"/> has passed (at least one unit), then a health beat;
    /// true when the part is done.
    /// </summary>
    private bool Share(Func<bool> advance, Func<long> work, long most, long until)
    {
        var done = RunShare(advance, work, most, until);
        loop.Health.Beat();
        return done;
    }

    /// <summary>The units of one share, without the beat (the checkpoint benchmark times it): true when the part is done.</summary>
    internal static bool RunShare(Func<bool> advance, Func<long> work, long most, long until)
    {
        var from = work();
        var done = advance();
        while (!done && work() - from < most && Stopwatch.GetTimestamp() < until)
        {
            done = advance();
        }

        return done;
    }

    /// <summary>Takes the read's result and starts putting it into the shard; false when that ended the restore.</summary>
    private bool Begin()
    {
        StateLog.Restoring(loop.Logger, owned.Topic, owned.Partition);
        _clock.Start();
        var result = read.GetAwaiter().GetResult();
        _took = result.Took;
        _clock.Restart();
        if (loop.Failure.Failed)
        {
            End(Offset.Unset);
            return false;
        }

        if (result.State is not { } restored)
        {
            StateLog.NoState(loop.Logger, owned.Topic, owned.Partition);
            owned.Checkpoint = new ShardCheckpoint(owned.Topic, owned.Shard, result.HighestSequence + 1, -1, result.Orphans);
            End(Offset.Unset);
            return false;
        }

        _put = new RestorePut(owned.Shard, restored);
        _result = result;
        return true;
    }

    /// <summary>"shape vN" of each model group that holds restored series (group 0 also when it is the only one), for the log.</summary>
    internal static string ModelVersions(Processing.Shard shard)
    {
        var groups = shard.Groups.All;
        return string.Join(", ", groups.Where(g => groups.Count == 1 || shard.SeriesOf(g).Any()).Select(g => $"{g.Label} v{g.Forecaster.ModelVersion}"));
    }

    private void End(Offset start)
    {
        Done = true;
        Start = start;
        loop.Metrics.RestoreDuration.Observe((_took + _clock.Elapsed).TotalSeconds);
        loop.Health.SetRestoring(loop.Health.RestoringPartitions - 1);
    }
}
