using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Puts a <see cref="RestoredShard"/> into a new shard so that it stays consistent with the input read
/// again from the marker's offset: a series whose record absorbed more (written after the marker, by a
/// checkpoint a crash cut short) skips its points below that offset and detaches the points it holds from
/// offsets it will read again; a series whose state was computed under another model version than the
/// one restored is re-warmed under it (and rewritten by the next checkpoint). Across a model-shape change
/// (<see cref="RestoredShard.ShapeChange"/>) every series is re-warmed under the new shape's initial model and
/// the shard is marked to train a model of its shape from the restored histories first, with one log line.
/// </summary>
internal static class RestoreApplier
{
    /// <summary>Applies <paramref name="restored"/> to the new <paramref name="shard"/> in one go; returns the series re-warmed.</summary>
    public static int Apply(Shard shard, RestoredShard restored, int rewarmSteps, ILogger? logger = null, string topic = "")
    {
        var stale = Prepare(shard, restored);
        GroupRewarm.For(shard, stale, rewarmSteps, MaxBatch)?.Run();

        Finish(shard, restored, stale, logger, topic);
        return stale.Count;
    }

    /// <summary>The first part of <see cref="Apply"/>: the series and model go into the shard (a <see cref="RestorePut"/> in one share); returns the series to re-warm.</summary>
    public static List<SeriesEntry> Prepare(Shard shard, RestoredShard restored)
    {
        var put = new RestorePut(shard, restored);
        put.Advance(long.MaxValue);
        return put.Stale;
    }

    /// <summary>The re-warm of <paramref name="stale"/>, to run in shares (the same batches as <see cref="Apply"/>); null when none is stale.</summary>
    public static GroupRewarm? Start(Shard shard, List<SeriesEntry> stale, int rewarmSteps) => GroupRewarm.For(shard, stale, rewarmSteps, MaxBatch);

    /// <summary>The last part of <see cref="Apply"/>, once the re-warm is done: the stale series are marked for the next checkpoint, a shape change is logged.</summary>
    public static void Finish(Shard shard, RestoredShard restored, List<SeriesEntry> stale, ILogger? logger, string topic)
    {
        shard.Origins.Set(restored.Origins);
        foreach (var entry in stale)
        {
            entry.Dirty = true;
        }

        if (restored.ShapeChange is { } change)
        {
            shard.TrainFirst = restored.Model is null;
            if (logger is not null)
            {
                StateLog.ShapeChanged(
                    logger, topic, shard.Partition, change, restored.Series.Count,
                    shard.TrainFirst ? "the old weights are dropped and a model of the new shape trains from the restored histories first" : "the saved model still fits and serves");
            }
        }
    }

    private const int MaxBatch = 1024;
}
