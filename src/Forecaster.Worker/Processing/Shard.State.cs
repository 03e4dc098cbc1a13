using Forecaster.Core.Lstm;

namespace Forecaster.Worker.Processing;

/// <summary>What checkpoints need of a shard: its series, evictions as they happen, and restore.</summary>
internal sealed partial class Shard
{
    /// <summary>Called with each series evicted from the full table (its checkpoint record gets a tombstone).</summary>
    public Action<SeriesEntry>? Evicted { get; set; }

    public Dictionary<byte[], SeriesEntry>.ValueCollection Series => _table.Entries;

    /// <summary>
    /// Takes a restored model (null keeps the initial one) and series into this new, empty shard, and
    /// registers the input offsets of points the restored timelines still hold, so their forecasts hold
    /// those offsets as they would have before.
    /// </summary>
    /// <exception cref="InvalidOperationException">The shard already has series.</exception>
    public void Restore(ForecastModel? model, IReadOnlyList<SeriesEntry> series)
    {
        if (_table.Count > 0 || Offsets.LastRegistered >= 0)
        {
            throw new InvalidOperationException("Only a new shard can be restored.");
        }

        if (model is not null)
        {
            Forecaster.SwapModel(model);
        }

        var held = new List<long>();
        foreach (var entry in series)
        {
            _table.Add(entry);
            entry.Timeline.CollectHeldOffsets(held);
        }

        held.Sort();
        for (var i = 0; i < held.Count; i++)
        {
            if (i == 0 || held[i] != held[i - 1])
            {
                Offsets.Register(held[i]);
            }

            Offsets.Hold(held[i]);
        }

        for (var i = 0; i < held.Count; i++)
        {
            if (i == 0 || held[i] != held[i - 1])
            {
                Offsets.Release(held[i]);
            }
        }
    }
}
