using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Checkpoint bookkeeping of one shard: the next sequence number, the input offset of the last complete
/// checkpoint, the offset last stored on the consumer, the model version written and the series evicted
/// since. Consume thread only.
/// </summary>
internal sealed class ShardCheckpoint
{
    /// <summary>Bookkeeping of <paramref name="shard"/>; <paramref name="orphans"/> are series keys of the state topic it does not hold (not restored), tombstoned by the next checkpoint so no stale record outlives them.</summary>
    public ShardCheckpoint(string topic, Shard shard, long nextSequence, long restoredOffset, IEnumerable<string>? orphans = null)
    {
        Topic = topic;
        Shard = shard;
        NextSequence = nextSequence;
        CheckpointedOffset = restoredOffset;
        shard.Evicted = entry => Evicted.Add(entry.Id);
        foreach (var id in orphans ?? [])
        {
            Evicted.Add(id);
        }
    }

    public string Topic { get; }
    public Shard Shard { get; }
    public long NextSequence { get; set; }

    /// <summary>Input offset saved with the last complete checkpoint (or restored from), -1 before the first.</summary>
    public long CheckpointedOffset { get; set; }

    /// <summary>The offset last stored on the consumer for auto-commit, -1 before the first.</summary>
    public long StoredOffset { get; set; } = -1;

    /// <summary>The next checkpoint rewrites every series and the model (after assign, restore or a failed checkpoint).</summary>
    public bool Full { get; set; } = true;

    /// <summary>The model version last written of each group, by group index.</summary>
    public Dictionary<int, long> WrittenModelVersions { get; } = [];

    /// <summary>The model version of <paramref name="group"/> last written, -1 before the first.</summary>
    public long WrittenModel(ModelGroup group) => WrittenModelVersions.TryGetValue(group.Index, out var version) ? version : -1;

    /// <summary>Some group's model is not written at its current version.</summary>
    public bool ModelsChanged()
    {
        foreach (var group in Shard.Groups.All)
        {
            if (group.Forecaster.ModelVersion != WrittenModel(group))
            {
                return true;
            }
        }

        return false;
    }

    public HashSet<string> Evicted { get; } = new(StringComparer.Ordinal);

    /// <summary>Anything to checkpoint at <paramref name="position"/>: a full checkpoint due, evictions, a new offset or model, a dirty series.</summary>
    public bool HasChanges(long position)
    {
        if (Full || Evicted.Count > 0 || position != CheckpointedOffset || ModelsChanged())
        {
            return true;
        }

        foreach (var entry in Shard.Series)
        {
            if (entry.Dirty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The next input offset the shard would read: everything before it is absorbed (-1: unknown, nothing read nor restored).</summary>
    public long Position => Shard.Offsets.LastRegistered >= 0 ? Math.Max(Shard.Offsets.LastRegistered + 1, CheckpointedOffset) : CheckpointedOffset;
}
