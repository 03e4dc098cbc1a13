using Forecaster.Core.Forecasting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The re-warm of a shard's stale restored series, group by group: each model group's series under its own model and
/// settings (<see cref="RewarmRun"/>), in group order, the series of a group in the order given. Advanced in shares.
/// </summary>
internal sealed class GroupRewarm
{
    private readonly List<RewarmRun> _runs = [];
    private int _current;
    private long _workBefore;

    private GroupRewarm(Shard shard, List<SeriesEntry> stale, int steps, int maxBatch)
    {
        foreach (var group in shard.Groups.All)
        {
            var states = stale.Where(e => shard.Groups.Current(e) == group).Select(e => e.State).ToArray();
            if (states.Length > 0)
            {
                _runs.Add(new RewarmRun(group.Forecaster.Model, group.Settings, states, steps, Math.Min(states.Length, maxBatch)));
            }
        }
    }

    /// <summary>The re-warm of <paramref name="stale"/>, or null when it is empty.</summary>
    public static GroupRewarm? For(Shard shard, List<SeriesEntry> stale, int steps, int maxBatch) =>
        stale.Count > 0 ? new GroupRewarm(shard, stale, steps, maxBatch) : null;

    public bool Done => _current >= _runs.Count;

    /// <summary>Units done so far (one series through one LSTM step), over every group's run.</summary>
    public long Work => _workBefore + (Done ? 0 : _runs[_current].Work);

    /// <summary>Runs at most <paramref name="maxSteps"/> steps of the current group's run; true once every group is done.</summary>
    public bool Advance(int maxSteps)
    {
        if (!Done && _runs[_current].Advance(maxSteps))
        {
            _workBefore += _runs[_current].Work;
            _current++;
        }

        return Done;
    }

    /// <summary>Runs everything at once.</summary>
    public void Run()
    {
        while (!Advance(int.MaxValue))
        {
        }
    }
}
