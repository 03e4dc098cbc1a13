using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Profiles;

namespace Forecaster.Worker.Processing;

/// <summary>
/// The model groups of one shard and which series steps in which. A series joins a group at its first step, once its
/// step is known: the group of its profile's shape at that step (<see cref="ModelShapes"/>), made on first use; series
/// of one shape share it, whatever their profile. Without profiles, or when the shape is the shard's own, that is group 0.
/// A series whose step is re-learned to one of another shape moves to that shape's group with a fresh state (its
/// seasons were counted in the old step). Lookups allocate nothing once the group exists.
/// </summary>
internal sealed class ModelGroups
{
    private readonly List<ModelGroup> _groups = [];
    private readonly Dictionary<(int Profile, long StepMs), ModelGroup> _groupOf = [];
    private readonly ProfileSet? _profiles;
    private readonly Dictionary<string, ForecastModel> _restored = new(StringComparer.Ordinal);
    private readonly int _maxBatch;

    public ModelGroups(ForecastSettings settings, ProfileSet? profiles, int maxBatch)
    {
        _profiles = profiles;
        _maxBatch = maxBatch;
        _groups.Add(new ModelGroup(0, string.Empty, settings, maxBatch));
    }

    /// <summary>Group 0: the shard's own settings.</summary>
    public ModelGroup Base => _groups[0];

    public IReadOnlyList<ModelGroup> All => _groups;

    /// <summary>The group <paramref name="series"/> is in: its own once it has stepped, group 0 before (its state is made in group 0's shape).</summary>
    public ModelGroup Current(SeriesEntry series) => series.Group ?? Base;

    /// <summary>
    /// The group <paramref name="series"/> steps in now, joining it first when its step is new; <paramref name="flush"/> steps
    /// the old group first when the series still waits in its batch.
    /// </summary>
    public ModelGroup Of(SeriesEntry series, Action<ModelGroup> flush)
    {
        var stepMs = series.Timeline.StepMs;
        if (series.Group is { } current && series.GroupStepMs == stepMs)
        {
            return current;
        }

        var group = For(series.ProfileIndex, stepMs);
        if (series.Group is { } old && old.Forecaster.IsPending(series.State))
        {
            flush(old);
        }

        Join(series, group, stepMs);
        return group;
    }

    /// <summary>Puts <paramref name="series"/> in <paramref name="group"/> at a step of <paramref name="stepMs"/>; a state of another shape is replaced by a fresh one of the group's, in the same time zone.</summary>
    public static void Join(SeriesEntry series, ModelGroup group, long stepMs)
    {
        if (!series.State.Fits(group.Settings))
        {
            var zone = series.State.Zone;
            series.State = group.Forecaster.CreateSeries();
            series.State.Zone = zone;
        }

        (series.Group, series.GroupStepMs) = (group, stepMs);
    }

    /// <summary>The group of profile <paramref name="profileIndex"/>'s series at a step of <paramref name="stepMs"/> (made on first use).</summary>
    public ModelGroup For(int profileIndex, long stepMs)
    {
        if (_profiles is null || stepMs <= 0)
        {
            return Base;
        }

        if (_groupOf.TryGetValue((profileIndex, stepMs), out var known))
        {
            return known;
        }

        var settings = ModelShapes.For(Base.Settings, _profiles.Profiles[profileIndex], stepMs);
        var group = _groups.Find(g => ModelShapes.Same(g.Settings, settings));
        if (group is null)
        {
            group = new ModelGroup(_groups.Count, ModelShapes.Name(settings), settings, _maxBatch);
            if (_restored.Remove(group.Shape, out var model) && ModelFit.Mismatch(model, settings) is null)
            {
                group.Forecaster.SwapModel(model);
            }

            _groups.Add(group);
        }

        _groupOf.Add((profileIndex, stepMs), group);
        return group;
    }

    /// <summary>Restore: the saved models of other shapes, each taken by the group made for its shape (a model that no longer fits is dropped).</summary>
    public void Restored(IReadOnlyDictionary<string, ForecastModel> models)
    {
        foreach (var (shape, model) in models)
        {
            _restored[shape] = model;
        }
    }
}
