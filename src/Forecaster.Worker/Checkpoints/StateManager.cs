using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Restores shards from the state topic: <see cref="Read"/> starts reading and decoding the state of
/// partitions on pool threads (<c>State:RestoreParallelism</c> at once, each with a reader of its own), and
/// <see cref="Apply"/> puts a finished read into its shard on the consume thread and says where its input
/// resumes. A refused checkpoint starts the shard empty (a full checkpoint follows); a state topic that
/// cannot be read ends the loop.
/// </summary>
internal sealed class StateManager(LoopServices loop, IStateReader? reader, int rewarmSteps)
{
    /// <summary>Checkpoints are on.</summary>
    public bool Enabled => reader is not null;

    /// <summary>Starts reading the state of <paramref name="partitions"/>, in their order; null when checkpoints are off or the loop has failed.</summary>
    public List<Task<StateRead>>? Read(IReadOnlyList<TopicPartition> partitions)
    {
        if (reader is null || loop.Failure.Failed)
        {
            return null;
        }

        loop.Health.SetRestoring(loop.Health.RestoringPartitions + partitions.Count);
        var results = partitions.Select(_ => new TaskCompletionSource<StateRead>(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var next = -1;
        for (var worker = 0; worker < Math.Min(loop.State.RestoreParallelism, partitions.Count); worker++)
        {
            _ = Task.Run(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < partitions.Count)
                {
                    try
                    {
                        var started = Stopwatch.GetTimestamp();
                        var state = reader.Read(partitions[i].Topic, partitions[i].Partition.Value, out var highest, out var orphans);
                        results[i].SetResult(new StateRead(state, highest, orphans, Stopwatch.GetElapsedTime(started)));
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

    /// <summary>Restores <paramref name="owned"/> from its finished <paramref name="read"/>; returns where its input resumes (unset: no state to say).</summary>
    public Offset Apply(OwnedShard owned, Task<StateRead>? read)
    {
        if (read is null)
        {
            return Offset.Unset;
        }

        var (topic, partition, shard) = (owned.Topic, owned.Partition, owned.Shard);
        using var scope = PartitionScope.Begin(loop.Logger, topic, partition);
        StateLog.Restoring(loop.Logger, topic, partition);
        var clock = Stopwatch.StartNew();
        var took = TimeSpan.Zero;
        try
        {
            var result = read.GetAwaiter().GetResult();
            took = result.Took;
            clock.Restart();
            if (loop.Failure.Failed)
            {
                return Offset.Unset;
            }

            if (result.State is not { } restored)
            {
                StateLog.NoState(loop.Logger, topic, partition);
                owned.Checkpoint = new ShardCheckpoint(topic, shard, result.HighestSequence + 1, -1, result.Orphans);
                return Offset.Unset;
            }

            RestoreApplier.Apply(shard, restored, rewarmSteps, loop.Logger, topic);
            owned.Checkpoint = new ShardCheckpoint(topic, shard, result.HighestSequence + 1, restored.InputOffset, restored.Orphans);
            loop.Metrics.SeriesRestored.Inc(restored.Series.Count);
            StateLog.Restored(loop.Logger, topic, partition, restored.Series.Count, shard.Forecaster.ModelVersion, restored.Sequence, restored.InputOffset, (took + clock.Elapsed).TotalSeconds);
            return new Offset(restored.InputOffset);
        }
        catch (StateRestoreException e)
        {
            loop.Metrics.RestoreFailures.Inc();
            StateLog.Refused(loop.Logger, topic, partition, e.Message);
            owned.Checkpoint = new ShardCheckpoint(topic, shard, e.HighestSequence + 1, -1, e.Orphans);
            return Offset.Unset;
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            StateLog.RestoreFailed(loop.Logger, topic, partition, e.Message);
            loop.Failure.Fail(new Error(ErrorCode.Local_Fail, $"Restore of {owned.TopicPartition} failed: {e.Message}"));
            return Offset.Unset;
        }
        finally
        {
            loop.Metrics.RestoreDuration.Observe((took + clock.Elapsed).TotalSeconds);
            loop.Health.SetRestoring(loop.Health.RestoringPartitions - 1);
        }
    }
}
