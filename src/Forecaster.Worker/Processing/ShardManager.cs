using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Processing;

/// <summary>
/// The one map from assigned partition to <see cref="OwnedShard"/>: shards are made, replaced (rewind) and
/// dropped (revoke, lost, shutdown) here, with what goes with them (their trainer, held-point scans, the
/// per-partition gauges, the assigned count). Consume thread only.
/// </summary>
internal sealed class ShardManager(
    SeriesOptions series, ForecastSettings settings, IForecastSink sink, WorkerHealth health, ForecasterMetrics metrics, HeldPointReleaser? heldPoints,
    Profiles.ProfileSet? profiles = null)
{
    private readonly Dictionary<(string Topic, int Partition), OwnedShard> _shards = [];

    /// <summary>The shard <see cref="TryGet"/> found last (consecutive records mostly share a partition); forgotten on every change of the map.</summary>
    private OwnedShard? _last;

    public int Count => _shards.Count;

    /// <summary>The shards, in assignment order (a snapshot: safe to change the map while walking it).</summary>
    public List<OwnedShard> Snapshot() => [.. _shards.Values];

    /// <summary>The shards, live (do not change the map while walking it).</summary>
    public Dictionary<(string Topic, int Partition), OwnedShard>.ValueCollection All => _shards.Values;

    /// <summary>The checkpoint bookkeeping of every shard that has one.</summary>
    public List<ShardCheckpoint> Checkpoints() => [.. _shards.Values.Select(s => s.Checkpoint).OfType<ShardCheckpoint>()];

    public bool TryGet(string topic, int partition, out OwnedShard owned)
    {
        if (_last is { } last && last.Partition == partition && string.Equals(last.Topic, topic, StringComparison.Ordinal))
        {
            owned = last;
            return true;
        }

        if (!_shards.TryGetValue((topic, partition), out owned!))
        {
            return false;
        }

        _last = owned;
        return true;
    }

    /// <summary>A fresh shard for <paramref name="topic"/> partition <paramref name="partition"/>, not yet added.</summary>
    public OwnedShard Create(string topic, int partition, ShardPhase phase = ShardPhase.Active) => new(topic, new Shard(partition, series, settings, sink, profiles), phase);

    /// <summary>Adds <paramref name="owned"/>, replacing (and abandoning the training of) the one it takes the place of.</summary>
    public void Add(OwnedShard owned)
    {
        if (_shards.TryGetValue((owned.Topic, owned.Partition), out var old) && !ReferenceEquals(old, owned))
        {
            Forget(old);
        }

        _shards[(owned.Topic, owned.Partition)] = owned;
        _last = null;
    }

    /// <summary>Drops the shard of <paramref name="topic"/> partition <paramref name="partition"/> if held; returns it.</summary>
    public OwnedShard? Remove(string topic, int partition)
    {
        _last = null;
        if (_shards.Remove((topic, partition), out var owned))
        {
            Forget(owned);
        }

        var label = partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metrics.ConsumerLag.RemoveLabelled(topic, label);
        metrics.CommittedLag.RemoveLabelled(topic, label);
        metrics.OffsetsOutstanding.RemoveLabelled(topic, label);
        metrics.HeldOffsetAge.RemoveLabelled(topic, label);
        return owned;
    }

    /// <summary>Abandons every training run (never waiting for one): the first step of shutdown.</summary>
    public void AbandonTraining()
    {
        foreach (var owned in _shards.Values)
        {
            owned.AbandonTraining();
        }
    }

    /// <summary>Shutdown: drops every shard.</summary>
    public void Clear()
    {
        AbandonTraining();
        _shards.Clear();
        _last = null;
        health.SetAssigned(0);
    }

    /// <summary>Publishes the assigned count to health and the gauge.</summary>
    public void AssignmentChanged()
    {
        health.SetAssigned(_shards.Count);
        metrics.PartitionsAssigned.Set(_shards.Count);
    }

    private void Forget(OwnedShard owned)
    {
        heldPoints?.Forget(owned.Shard);
        owned.AbandonTraining();
    }
}
