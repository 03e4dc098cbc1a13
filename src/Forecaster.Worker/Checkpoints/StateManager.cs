using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Restores shards from the state topic: <see cref="Read"/> starts reading and decoding the state of
/// partitions on pool threads (<c>State:RestoreParallelism</c> at once, each with a reader of its own), and
/// <see cref="Begin"/> makes the <see cref="ShardRestore"/> that puts a finished read into its shard on the
/// consume thread, a share per loop turn, and says where its input resumes.
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
        reader.Requested(partitions.Count);
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

    /// <summary>The apply of <paramref name="owned"/>'s finished <paramref name="read"/>, to advance a share per loop turn.</summary>
    public ShardRestore Begin(OwnedShard owned, Task<StateRead> read) => new(loop, owned, read, rewarmSteps);
}
