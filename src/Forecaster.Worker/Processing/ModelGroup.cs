using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Processing;

/// <summary>
/// The series of one model shape in a shard (seasons, horizon and quantile levels in steps, as a profile gives them
/// at a series' step) and what they share: one <see cref="BatchForecaster"/> with its model, the slots of its batch,
/// and the step count its retraining is scheduled by. Group 0 has the shard's own settings; the others are made when
/// a series first needs them. Consume thread only.
/// </summary>
internal sealed class ModelGroup
{
    public ModelGroup(int index, string shape, ForecastSettings settings, int maxBatch)
    {
        Index = index;
        Shape = shape;
        Label = shape.Length > 0 ? shape : Profiles.ModelShapes.Name(settings);
        Forecaster = new BatchForecaster(settings, maxBatch);
        SlotSeries = new SeriesEntry?[maxBatch];
        SlotOffsets = new long[maxBatch];
        SlotTimes = new long[maxBatch];
    }

    /// <summary>Position in <see cref="Shard.Groups"/>, in the order the groups were made.</summary>
    public int Index { get; }

    /// <summary>The shape's name (<see cref="Profiles.ModelShapes.Name"/>): the suffix of its model record's key; empty for group 0.</summary>
    public string Shape { get; }

    /// <summary>The shape's name for every group, group 0's too: the <c>shape</c> label of its metrics and its log lines.</summary>
    public string Label { get; }

    public BatchForecaster Forecaster { get; }

    public ForecastSettings Settings => Forecaster.Settings;

    /// <summary>The series of each batch slot, the input offset it publishes (or a gap's marker) and its bucket's timestamp.</summary>
    public SeriesEntry?[] SlotSeries { get; }

    public long[] SlotOffsets { get; }

    public long[] SlotTimes { get; }

    /// <summary>Points (and gap steps) stepped in this group: its retraining schedule counts them.</summary>
    public long StepsTaken { get; set; }

    /// <summary>Restored across a model-shape change: the group's next retraining is due at once.</summary>
    public bool TrainFirst { get; set; }
}
