using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Restore as a state machine the loop drives, never a long wait inside the rebalance callback: the assign
/// handler only registers the new shards (phase <see cref="ShardPhase.Restoring"/>) and starts their reads
/// on pool threads; each turn of the loop (<see cref="Punctuate"/>) pauses their input partitions, and once
/// a read is done applies it a share per turn (<see cref="ShardRestore"/>: re-warming a large shard takes
/// seconds), then seeks the input to where the restored state resumes and resumes the partition.
/// Meanwhile the loop keeps beating liveness and the other partitions keep flowing. A shard revoked or lost
/// while restoring is forgotten (its read finishes unheard).
/// </summary>
internal sealed class RestoreDriver(LoopServices loop, StateManager state) : IPunctuator
{
    private readonly List<Pending> _pending = [];

    /// <summary>Some shard is still restoring (the loop polls with a short timeout meanwhile).</summary>
    public bool Busy => _pending.Count > 0;

    /// <summary>
    /// In the assign handler: starts restoring <paramref name="shards"/> (already added to the shard map). After
    /// an abort (<paramref name="rewind"/>) input is always sought back: to the checkpoint's offset, else the
    /// committed one, else the beginning.
    /// </summary>
    public void Register(IReadOnlyList<OwnedShard> shards, bool rewind = false)
    {
        var reads = state.Read([.. shards.Select(s => s.TopicPartition)]);
        for (var i = 0; i < shards.Count; i++)
        {
            if (reads is null)
            {
                shards[i].Phase = ShardPhase.Active;
                continue;
            }

            _pending.Add(new Pending(shards[i], reads[i]) { Rewind = rewind });
        }
    }

    /// <summary>Revoked or lost: the shard's restore, if in flight, is dropped.</summary>
    public void Forget(OwnedShard owned)
    {
        var i = _pending.FindIndex(p => ReferenceEquals(p.Owned, owned));
        if (i >= 0)
        {
            if (_pending[i].Apply is not { Done: true })
            {
                loop.Health.SetRestoring(loop.Health.RestoringPartitions - 1);
            }

            _pending.RemoveAt(i);
        }
    }

    public void Punctuate()
    {
        var until = Stopwatch.GetTimestamp() + (long)(loop.State.CheckpointChunkMilliseconds * Stopwatch.Frequency / 1000.0);
        for (var i = 0; i < _pending.Count && !loop.Failure.Failed; i++)
        {
            var pending = _pending[i];
            var tp = pending.Owned.TopicPartition;
            try
            {
                if (!pending.Paused)
                {
                    loop.Consumer.Pause([tp]);
                    pending.Paused = true;
                }

                if (!pending.Read.IsCompleted)
                {
                    continue;
                }

                pending.Apply ??= state.Begin(pending.Owned, pending.Read);
                if (!pending.Apply.Done)
                {
                    if (!pending.Apply.Advance(until))
                    {
                        continue; // Re-warming: the next share next turn, the partition still paused.
                    }

                    pending.Start = pending.Apply.Start;
                }

                if (pending.Start == Offset.Unset)
                {
                    pending.Start = pending.Rewind ? CommittedOrBeginning(tp) : pending.Owned.FirstSkipped >= 0 ? new Offset(pending.Owned.FirstSkipped) : Offset.Unset;
                }

                if (pending.Start != Offset.Unset)
                {
                    loop.Consumer.Seek(new TopicPartitionOffset(tp, pending.Start));
                }

                if (pending.Rewind)
                {
                    TransactionLog.Rewound(loop.Logger, tp.Topic, tp.Partition.Value, pending.Start.Value);
                }

                loop.Consumer.Resume([tp]);
            }
            catch (KafkaException e)
            {
                loop.Failure.OnError(e.Error); // Tried again next turn (a partition whose fetch has not started yet cannot seek).
                continue;
            }

            pending.Owned.Phase = ShardPhase.Active;
            _pending.RemoveAt(i--);
        }
    }

    /// <summary>Where a rewound shard without a checkpoint starts: the group's committed offset, else the beginning.</summary>
    private Offset CommittedOrBeginning(TopicPartition tp)
    {
        var committed = loop.Consumer.Committed([tp], TimeSpan.FromSeconds(loop.State.RestoreTimeoutSeconds)).Single().Offset;
        return committed.Value >= 0 ? committed : Offset.Beginning;
    }

    private sealed class Pending(OwnedShard owned, Task<StateRead> read)
    {
        public OwnedShard Owned { get; } = owned;

        public Task<StateRead> Read { get; } = read;

        public bool Paused { get; set; }

        public ShardRestore? Apply { get; set; }

        public bool Rewind { get; init; }

        public Offset Start { get; set; } = Offset.Unset;
    }
}
