using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// Exactly-once mode after an abort: every shard that read anything is replaced by a new one that restores
/// from its last committed checkpoint, as on a fresh assignment (<see cref="RestoreDriver"/>: partition paused,
/// state read off the loop's thread), and its input is sought back to that checkpoint's offset (the committed
/// group offset, else the beginning, when it has none). Records handled since the abort are read again.
/// </summary>
internal sealed class ShardRewind(LoopServices loop, RestoreDriver restores)
{
    public void Run()
    {
        var rewound = new List<OwnedShard>();
        foreach (var old in loop.Shards.Snapshot())
        {
            if (old.Shard.Position < 0 || old.Phase == ShardPhase.Restoring)
            {
                continue; // Nothing read since it was assigned and restored: it already holds the committed state.
            }

            var owned = loop.Shards.Create(old.Topic, old.Partition, ShardPhase.Restoring);
            loop.Shards.Add(owned);
            rewound.Add(owned);
        }

        restores.Register(rewound, rewind: true);
    }
}
