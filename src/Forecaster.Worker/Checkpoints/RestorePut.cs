using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The first part of applying a <see cref="RestoredShard"/>, in shares that can stop between any two units of
/// work and carry on later: each series (its absorbed points detached, added to the shard, checked for a stale
/// model version) is one unit, sorting the held input offsets is one, and holding and releasing each of them is
/// one each. The units run in the order of <see cref="Processing.Shard.Restore"/>, so the shard comes out the
/// same however the work is shared out. Nothing may touch the shard until <see cref="Done"/>.
/// </summary>
internal sealed class RestorePut
{
    private readonly Shard _shard;
    private readonly RestoredShard _restored;
    private readonly List<long> _held = [];
    private int _series;
    private bool _sorted;
    private int _holds;
    private int _releases;

    /// <exception cref="InvalidOperationException">The shard already has series.</exception>
    public RestorePut(Shard shard, RestoredShard restored)
    {
        (_shard, _restored) = (shard, restored);
        shard.StartRestore(restored.Model, restored.ShapeModels);
    }

    /// <summary>The series whose state was computed under another model version (or shape) than the shard's, in series order.</summary>
    public List<SeriesEntry> Stale { get; } = [];

    /// <summary>Every unit is done: the shard holds the restored series and offsets.</summary>
    public bool Done => _sorted && _releases >= _held.Count;

    /// <summary>Units done so far: the measure of the work.</summary>
    public long Work { get; private set; }

    /// <summary>Runs at most <paramref name="units"/> units; true once <see cref="Done"/>.</summary>
    public bool Advance(long units)
    {
        for (long taken = 0; taken < units && !Done; taken++)
        {
            if (_series < _restored.Series.Count)
            {
                Put(_series++);
            }
            else if (!_sorted)
            {
                _held.Sort();
                _sorted = true;
            }
            else if (_holds < _held.Count)
            {
                _shard.HoldRestored(_held, _holds++);
            }
            else
            {
                _shard.ReleaseRestored(_held, _releases++);
            }

            Work++;
        }

        return Done;
    }

    private void Put(int i)
    {
        var entry = _restored.Series[i];
        if (i < _restored.Absorbed.Count && _restored.Absorbed[i] > _restored.InputOffset)
        {
            entry.AbsorbedBefore = _restored.Absorbed[i];
            entry.Timeline.DetachHeld(h => h.Offset >= _restored.InputOffset);
        }

        _shard.RestoreSeries(entry, _held);
        var version = _shard.Groups.Current(entry).Forecaster.ModelVersion;
        if (i < _restored.ModelVersions.Count && (_restored.ShapeChange is not null || (_restored.ModelVersions[i] >= 0 && _restored.ModelVersions[i] != version)))
        {
            Stale.Add(entry);
        }
    }
}
