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
    /// those offsets as they would have before. In one go; <c>RestorePut</c> does the same in shares.
    /// </summary>
    /// <exception cref="InvalidOperationException">The shard already has series.</exception>
    public void Restore(ForecastModel? model, IReadOnlyList<SeriesEntry> series, IReadOnlyDictionary<string, ForecastModel>? shapeModels = null)
    {
        StartRestore(model, shapeModels);
        var held = new List<long>();
        foreach (var entry in series)
        {
            RestoreSeries(entry, held);
        }

        held.Sort();
        for (var i = 0; i < held.Count; i++)
        {
            HoldRestored(held, i);
        }

        for (var i = 0; i < held.Count; i++)
        {
            ReleaseRestored(held, i);
        }
    }

    /// <summary>The first step of <see cref="Restore"/>: checks the shard is new and takes the model (null keeps the initial one) and those of other shapes' groups.</summary>
    /// <exception cref="InvalidOperationException">The shard already has series.</exception>
    public void StartRestore(ForecastModel? model, IReadOnlyDictionary<string, ForecastModel>? shapeModels = null)
    {
        if (_table.Count > 0 || Offsets.LastRegistered >= 0)
        {
            throw new InvalidOperationException("Only a new shard can be restored.");
        }

        if (model is not null)
        {
            Forecaster.SwapModel(model);
        }

        _groups.Restored(shapeModels ?? new Dictionary<string, ForecastModel>());
    }

    /// <summary>
    /// Adds one restored series and appends the input offsets its timeline holds to <paramref name="held"/>. It joins the model
    /// group of its profile at its step when its state has that group's shape; a state of another shape (the rules or its
    /// step changed) starts afresh in that group, unless it is still group 0's and waits for its first step.
    /// </summary>
    public void RestoreSeries(SeriesEntry entry, List<long> held)
    {
        var profile = Profiles?.Resolve(entry.Key);
        entry.ProfileIndex = profile?.Index ?? 0;
        entry.State.Zone = profile?.Zone; // not saved: the rules say it, before any re-warm replays the history
        var group = _groups.For(entry.ProfileIndex, entry.Timeline.StepMs);
        if (entry.State.Fits(group.Settings) || !entry.State.Fits(_groups.Base.Settings))
        {
            ModelGroups.Join(entry, group, entry.Timeline.StepMs); // a state of neither shape starts afresh there
        }

        _table.Add(entry);
        entry.Timeline.CollectHeldOffsets(held);
    }

    /// <summary>After every series is in and <paramref name="sorted"/> is sorted: registers (once per distinct offset) and holds offset <paramref name="i"/>.</summary>
    public void HoldRestored(List<long> sorted, int i)
    {
        if (i == 0 || sorted[i] != sorted[i - 1])
        {
            Offsets.Register(sorted[i]);
        }

        Offsets.Hold(sorted[i]);
    }

    /// <summary>After every offset is held: releases the registration of offset <paramref name="i"/> (once per distinct offset).</summary>
    public void ReleaseRestored(List<long> sorted, int i)
    {
        if (i == 0 || sorted[i] != sorted[i - 1])
        {
            Offsets.Release(sorted[i]);
        }
    }
}
