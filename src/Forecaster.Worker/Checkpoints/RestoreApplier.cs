using Forecaster.Core.Forecasting;
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
    /// <summary>Applies <paramref name="restored"/> to the new <paramref name="shard"/>; returns the series re-warmed.</summary>
    public static int Apply(Shard shard, RestoredShard restored, int rewarmSteps, ILogger? logger = null, string topic = "")
    {
        for (var i = 0; i < restored.Series.Count && i < restored.Absorbed.Count; i++)
        {
            var absorbed = restored.Absorbed[i];
            if (absorbed > restored.InputOffset)
            {
                var entry = restored.Series[i];
                entry.AbsorbedBefore = absorbed;
                entry.Timeline.DetachHeld(h => h.Offset >= restored.InputOffset);
            }
        }

        shard.Restore(restored.Model, restored.Series);
        var version = shard.Forecaster.ModelVersion;
        var stale = new List<SeriesEntry>();
        for (var i = 0; i < restored.Series.Count && i < restored.ModelVersions.Count; i++)
        {
            if (restored.ShapeChange is not null || (restored.ModelVersions[i] >= 0 && restored.ModelVersions[i] != version))
            {
                stale.Add(restored.Series[i]);
            }
        }

        if (stale.Count > 0)
        {
            StateRewarm.Run(shard.Forecaster.Model, shard.Forecaster.Settings, [.. stale.Select(e => e.State)], rewarmSteps, Math.Min(stale.Count, 1024));
            foreach (var entry in stale)
            {
                entry.Dirty = true;
            }
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

        return stale.Count;
    }
}
