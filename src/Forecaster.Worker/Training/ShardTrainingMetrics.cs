using Forecaster.Worker.Observability;
using Prometheus;

namespace Forecaster.Worker.Training;

/// <summary>The training and accuracy metric children of one shard (labels topic and partition; never a series).</summary>
internal sealed class ShardTrainingMetrics
{
    private readonly ForecasterMetrics _metrics;
    private readonly string _topic;
    private readonly string _partition;

    public ShardTrainingMetrics(ForecasterMetrics metrics, string topic, string partition)
    {
        _metrics = metrics;
        _topic = topic;
        _partition = partition;
        LastLoss = metrics.TrainingLastLoss.WithLabels(topic, partition);
        GradNorm = metrics.TrainingGradNorm.WithLabels(topic, partition);
        ModelVersion = metrics.ModelVersion.WithLabels(topic, partition);
        LastLoss.Set(double.NaN);
        GradNorm.Set(double.NaN);
    }

    public Histogram Duration => _metrics.TrainingDuration;
    public Gauge.Child LastLoss { get; }
    public Gauge.Child GradNorm { get; }
    public Gauge.Child ModelVersion { get; }

    public Counter.Child Runs(string outcome) => _metrics.TrainingRuns.WithLabels(outcome);

    /// <summary>Publishes a shard's accuracy summary.</summary>
    public void Summarize(ShardAccuracy accuracy)
    {
        _metrics.OnlineScaledError.WithLabels(_topic, _partition, "lstm").Set(accuracy.ModelScaledError);
        _metrics.OnlineScaledError.WithLabels(_topic, _partition, "baseline").Set(accuracy.BaselineScaledError);
        _metrics.OnlineCoverage.WithLabels(_topic, _partition, "lstm").Set(accuracy.ModelCoverage);
        _metrics.OnlineCoverage.WithLabels(_topic, _partition, "baseline").Set(accuracy.BaselineCoverage);
        _metrics.SeriesFallback.WithLabels(_topic, _partition).Set(accuracy.Fallback);
        _metrics.SeriesWarmingUp.WithLabels(_topic, _partition).Set(accuracy.WarmingUp);
    }

    /// <summary>Drops the shard's children (the partition left this worker).</summary>
    public void Remove()
    {
        _metrics.TrainingLastLoss.RemoveLabelled(_topic, _partition);
        _metrics.TrainingGradNorm.RemoveLabelled(_topic, _partition);
        _metrics.ModelVersion.RemoveLabelled(_topic, _partition);
        _metrics.SeriesFallback.RemoveLabelled(_topic, _partition);
        _metrics.SeriesWarmingUp.RemoveLabelled(_topic, _partition);
        foreach (var model in new[] { "lstm", "baseline" })
        {
            _metrics.OnlineScaledError.RemoveLabelled(_topic, _partition, model);
            _metrics.OnlineCoverage.RemoveLabelled(_topic, _partition, model);
        }
    }
}
