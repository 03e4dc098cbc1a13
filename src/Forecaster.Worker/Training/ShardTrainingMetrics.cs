using Forecaster.Worker.Observability;
using Prometheus;

namespace Forecaster.Worker.Training;

/// <summary>
/// The training metric children of one model group of a shard (labels topic, partition and shape; never a series),
/// and for group 0 the shard's accuracy gauges (labels topic and partition, over all its series). The shape's children
/// appear with <see cref="Show"/>, once the group has stepped a point: a shard keeps a group 0 that holds no series when
/// every series is in a group of its own shape, and it should not show a model version nobody is served by.
/// </summary>
internal sealed class ShardTrainingMetrics
{
    private readonly ForecasterMetrics _metrics;
    private readonly string _topic;
    private readonly string _partition;
    private readonly string _shape;
    private readonly bool _summarizes;
    private Gauge.Child? _lastLoss;
    private Gauge.Child? _gradNorm;
    private Gauge.Child? _modelVersion;

    /// <summary>The children of <paramref name="shape"/> in partition <paramref name="partition"/> of <paramref name="topic"/>; <paramref name="summarizes"/> for group 0, which also owns the shard's accuracy gauges.</summary>
    public ShardTrainingMetrics(ForecasterMetrics metrics, string topic, string partition, string shape, bool summarizes)
    {
        _metrics = metrics;
        _topic = topic;
        _partition = partition;
        _shape = shape;
        _summarizes = summarizes;
    }

    public Histogram Duration => _metrics.TrainingDuration;

    /// <summary>True once <see cref="Show"/> made the shape's children.</summary>
    public bool Shown => _modelVersion is not null;

    public Counter.Child Runs(string outcome) => _metrics.TrainingRuns.WithLabels(outcome);

    /// <summary>Makes the shape's children: the model version serving, and no loss or gradient norm (NaN) before a run.</summary>
    public void Show(long version)
    {
        if (Shown)
        {
            return;
        }

        _lastLoss = _metrics.TrainingLastLoss.WithLabels(_topic, _partition, _shape);
        _gradNorm = _metrics.TrainingGradNorm.WithLabels(_topic, _partition, _shape);
        _modelVersion = _metrics.ModelVersion.WithLabels(_topic, _partition, _shape);
        _lastLoss.Set(double.NaN);
        _gradNorm.Set(double.NaN);
        _modelVersion.Set(version);
    }

    /// <summary>The version serving the group now (shown first if it was not).</summary>
    public void Version(long version)
    {
        Show(version);
        _modelVersion!.Set(version);
    }

    /// <summary>The loss and gradient norm at the end of a run that trained (shown first if it was not).</summary>
    public void Fit(long version, double lastLoss, double gradNorm)
    {
        Show(version);
        _lastLoss!.Set(lastLoss);
        _gradNorm!.Set(gradNorm);
    }

    /// <summary>Publishes a shard's accuracy summary (group 0 only).</summary>
    public void Summarize(ShardAccuracy accuracy)
    {
        _metrics.OnlineScaledError.WithLabels(_topic, _partition, "lstm").Set(accuracy.ModelScaledError);
        _metrics.OnlineScaledError.WithLabels(_topic, _partition, "baseline").Set(accuracy.BaselineScaledError);
        _metrics.OnlineScaledErrorOneStep.WithLabels(_topic, _partition, "lstm").Set(accuracy.ModelOneStepError);
        _metrics.OnlineScaledErrorOneStep.WithLabels(_topic, _partition, "baseline").Set(accuracy.BaselineOneStepError);
        _metrics.OnlineCoverage.WithLabels(_topic, _partition, "lstm").Set(accuracy.ModelCoverage);
        _metrics.OnlineCoverage.WithLabels(_topic, _partition, "baseline").Set(accuracy.BaselineCoverage);
        _metrics.SeriesFallback.WithLabels(_topic, _partition).Set(accuracy.Fallback);
        _metrics.SeriesWarmingUp.WithLabels(_topic, _partition).Set(accuracy.WarmingUp);
    }

    /// <summary>Drops the group's children, and for group 0 the shard's accuracy gauges (the partition left this worker).</summary>
    public void Remove()
    {
        if (Shown)
        {
            _metrics.TrainingLastLoss.RemoveLabelled(_topic, _partition, _shape);
            _metrics.TrainingGradNorm.RemoveLabelled(_topic, _partition, _shape);
            _metrics.ModelVersion.RemoveLabelled(_topic, _partition, _shape);
            _lastLoss = _gradNorm = _modelVersion = null;
        }

        if (!_summarizes)
        {
            return;
        }

        _metrics.SeriesFallback.RemoveLabelled(_topic, _partition);
        _metrics.SeriesWarmingUp.RemoveLabelled(_topic, _partition);
        foreach (var model in new[] { "lstm", "baseline" })
        {
            _metrics.OnlineScaledError.RemoveLabelled(_topic, _partition, model);
            _metrics.OnlineScaledErrorOneStep.RemoveLabelled(_topic, _partition, model);
            _metrics.OnlineCoverage.RemoveLabelled(_topic, _partition, model);
        }
    }
}
