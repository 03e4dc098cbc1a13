using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Checkpoints and restore of the loop's shards (issue 5). A checkpoint is taken when no series is pending,
/// and its commit marker is produced only after every forecast so far is acknowledged, so the input offset
/// it saves (the next one the shard would read) covers exactly what the state absorbed: points still held
/// in a timeline are saved with it. Consumer offsets are stored only after a checkpoint is acknowledged,
/// and never beyond it. Interval checkpoints are spread over loop iterations (ConsumeLoop.CheckpointRound.cs);
/// revoke and shutdown take theirs here in one go.
/// </summary>
internal sealed partial class ConsumeLoop
{
    private readonly Dictionary<(string Topic, int Partition), ShardCheckpoint> _checkpoints = [];
    private readonly StateOptions _state = new() { CheckpointIntervalSeconds = 0 };
    private CheckpointWriter? _checkpointWriter;
    private StateRestorer? _restorer;
    private long _lastCheckpoint;

    /// <summary>Offsets are stored as work completes only when checkpoints are off; with them, at checkpoint time.</summary>
    private bool StoresOnSettle => !_state.Enabled;

    private void StartCheckpoints(IProducer<byte[], byte[]> producer)
    {
        _lastCheckpoint = _time.GetTimestamp();
        if (!_state.Enabled)
        {
            return;
        }

        _checkpointWriter = new CheckpointWriter(producer, _kafka.StateTopic, _settings);
        var config = new ConsumerConfig(new Dictionary<string, string>(_kafka.Client))
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = _kafka.GroupId + ".state-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        _restorer = new StateRestorer(config, _kafka.StateTopic, _settings, TimeSpan.FromSeconds(_state.RestoreTimeoutSeconds), _state.RestoreParallelism);
    }

    /// <summary>
    /// On assign: starts reading and decoding the state of the assigned partitions, <c>State:RestoreThreads</c>
    /// at once on pool threads, each with a reader of its own (their fetches and decoding overlap), in
    /// assignment order; null when checkpoints are off.
    /// </summary>
    private List<Task<(RestoredShard? State, long Highest, IReadOnlyList<string> Orphans, TimeSpan Took)>>? ReadStates(List<TopicPartition> partitions)
    {
        if (_restorer is null || _fatal is not null)
        {
            return null;
        }

        _health.SetRestoring(_health.RestoringPartitions + partitions.Count);
        var restorer = _restorer;
        var results = partitions.Select(_ => new TaskCompletionSource<(RestoredShard?, long, IReadOnlyList<string>, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var next = -1;
        for (var reader = 0; reader < Math.Min(_state.RestoreParallelism, partitions.Count); reader++)
        {
            _ = Task.Run(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < partitions.Count)
                {
                    try
                    {
                        var started = Stopwatch.GetTimestamp();
                        var state = restorer.Read(partitions[i].Topic, partitions[i].Partition.Value, out var highest, out var orphans);
                        results[i].SetResult((state, highest, orphans, Stopwatch.GetElapsedTime(started)));
                    }
                    catch (Exception e)
                    {
                        results[i].SetException(e);
                    }
                }
            });
        }

        return [.. results.Select(r => r.Task)];
    }

    /// <summary>On assign: restores <paramref name="shard"/> from its state read by <see cref="ReadStates"/>; returns where its input starts.</summary>
    private Offset RestoreShard(TopicPartition tp, Shard shard, Task<(RestoredShard? State, long Highest, IReadOnlyList<string> Orphans, TimeSpan Took)>? read)
    {
        if (read is null)
        {
            return Offset.Unset;
        }

        using var scope = PartitionScope.Begin(_logger, tp.Topic, tp.Partition.Value);
        StateLog.Restoring(_logger, tp.Topic, tp.Partition.Value);
        var clock = Stopwatch.StartNew();
        var took = TimeSpan.Zero;
        try
        {
            (var restored, var highest, var orphans, took) = read.GetAwaiter().GetResult();
            clock.Restart();
            if (_fatal is not null)
            {
                return Offset.Unset;
            }

            if (restored is null)
            {
                StateLog.NoState(_logger, tp.Topic, tp.Partition.Value);
                _checkpoints[(tp.Topic, tp.Partition.Value)] = new ShardCheckpoint(tp.Topic, shard, highest + 1, -1, orphans);
                return Offset.Unset;
            }

            RestoreApplier.Apply(shard, restored, _training.RewarmSteps, _logger, tp.Topic);
            _checkpoints[(tp.Topic, tp.Partition.Value)] = new ShardCheckpoint(tp.Topic, shard, highest + 1, restored.InputOffset, restored.Orphans);
            _metrics.SeriesRestored.Inc(restored.Series.Count);
            StateLog.Restored(_logger, tp.Topic, tp.Partition.Value, restored.Series.Count, shard.Forecaster.ModelVersion, restored.Sequence, restored.InputOffset, (took + clock.Elapsed).TotalSeconds);
            return new Offset(restored.InputOffset);
        }
        catch (StateRestoreException e)
        {
            _metrics.RestoreFailures.Inc();
            StateLog.Refused(_logger, tp.Topic, tp.Partition.Value, e.Message);
            _checkpoints[(tp.Topic, tp.Partition.Value)] = new ShardCheckpoint(tp.Topic, shard, e.HighestSequence + 1, -1, e.Orphans);
            return Offset.Unset;
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            StateLog.RestoreFailed(_logger, tp.Topic, tp.Partition.Value, e.Message);
            _fatal ??= new Error(ErrorCode.Local_Fail, $"Restore of {tp} failed: {e.Message}");
            return Offset.Unset;
        }
        finally
        {
            _metrics.RestoreDuration.Observe((took + clock.Elapsed).TotalSeconds);
            _health.SetRestoring(_health.RestoringPartitions - 1);
        }
    }

    /// <summary>On revoke (pending series already stepped): checkpoints the revoked shards before they are dropped.</summary>
    private void CheckpointRevoked(List<TopicPartitionOffset> partitions)
    {
        var revoked = new List<ShardCheckpoint>();
        foreach (var tp in partitions)
        {
            if (_checkpoints.TryGetValue((tp.Topic, tp.Partition.Value), out var shard))
            {
                revoked.Add(shard);
            }
        }

        Checkpoint(revoked, CheckpointTriggers.Revoke);
    }

    private void ForgetCheckpoints(List<TopicPartitionOffset> partitions)
    {
        foreach (var tp in partitions)
        {
            DropCheckpointJob(tp.Topic, tp.Partition.Value);
            _checkpoints.Remove((tp.Topic, tp.Partition.Value));
        }
    }

    /// <summary>
    /// Revoke and shutdown, in one go (bounded by the rebalance and shutdown timeouts): finishes a spread
    /// checkpoint in flight, waits for the forecasts to be acknowledged, checkpoints each shard that changed
    /// and has none unacknowledged (<see cref="BlockingCheckpoint"/>), and only then stores each shard's
    /// offset: the oldest input still held by a timeline, at most the checkpointed offset.
    /// </summary>
    private void Checkpoint(List<ShardCheckpoint> shards, string trigger = CheckpointTriggers.Shutdown)
    {
        if (_checkpointWriter is null || _fatal is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        FinishCheckpointJob();
        _publisher!.Flush(TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
        Settle();
        var (written, bytes, failed, reason) = new BlockingCheckpoint(_checkpointWriter, () =>
        {
            _publisher.Flush(TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
            Settle();
        }).Run(shards);
        if (failed.Count > 0)
        {
            Failed(failed, reason ?? "failed");
        }

        foreach (var shard in shards)
        {
            StoreCheckpointedOffset(shard);
        }

        _metrics.CheckpointBytes.Inc(bytes);
        if (failed.Count == 0)
        {
            _lastCheckpoint = _time.GetTimestamp();
            _metrics.CheckpointAge.Set(0);
        }

        _metrics.CheckpointDuration.Observe(clock.Elapsed.TotalSeconds);
        _metrics.CheckpointPause.WithLabels(trigger).Observe(clock.Elapsed.TotalSeconds);
        StateLog.Checkpointed(_logger, written.Count, bytes, clock.Elapsed.TotalSeconds);
    }

    private void StoreCheckpointedOffset(ShardCheckpoint shard)
    {
        if (shard.CheckpointedOffset < 0)
        {
            return;
        }

        var oldest = shard.Shard.Offsets.OldestOutstanding;
        var target = oldest >= 0 ? Math.Min(oldest, shard.CheckpointedOffset) : shard.CheckpointedOffset;
        if (target <= shard.StoredOffset)
        {
            return;
        }

        try
        {
            _consumer!.StoreOffset(new TopicPartitionOffset(shard.Topic, shard.Shard.Partition, target));
            shard.StoredOffset = target;
        }
        catch (KafkaException e)
        {
            OnError(e.Error);
        }
    }

    private void Failed(List<ShardCheckpoint> shards, string reason)
    {
        foreach (var shard in shards)
        {
            shard.Full = true;
            shard.NextSequence++;
        }

        _metrics.CheckpointFailures.Inc();
        StateLog.CheckpointFailed(_logger, reason);
    }
}
