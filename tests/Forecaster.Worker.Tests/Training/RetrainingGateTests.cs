using Forecaster.Worker.Options;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Tests.Training;

/// <summary>A challenger that is not better, or whose training blew up, never serves; the rejection is counted by reason.</summary>
public class RetrainingGateTests
{
    private static TrainingOptions Options(int steps, float learningRate) => new()
    {
        Enabled = false,
        Window = 48,
        Batch = 8,
        Steps = steps,
        LearningRate = learningRate,
        BurnIn = 8,
        MaxSeconds = 600,
        MaxSeries = 8,
        Seed = 3,
    };

    private static double Wave(int s, long t) => (20 + (10 * s)) * (1 + (0.2 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * s)) / 30.0)));

    private static async Task<(TrainingStream Stream, TrainingRun Run, double[] Before)> Retrain(TrainingOptions options)
    {
        var stream = new TrainingStream(options, 8);
        await stream.RunAsync(Wave, 200);
        var before = stream.Sink.Last.Values.First().Quantiles;
        Assert.True(stream.Trainer.Start());
        await stream.Trainer.Running!;
        Assert.False(stream.Trainer.Poll());
        return (stream, stream.Trainer.LastRun!, before);
    }

    [Fact]
    public async Task A_challenger_that_does_not_beat_the_champion_is_rejected_and_counted()
    {
        var champion = new TrainingStream(Options(0, 1e-3f), 8).Shard.Forecaster.Model.Parameters;
        var (stream, run, _) = await Retrain(Options(steps: 0, learningRate: 1e-3f));
        using var _ = stream;

        Assert.Equal(TrainingOutcomes.WorseThanChampion, run.Outcome);
        Assert.Equal(0, stream.Shard.Forecaster.ModelVersion);
        Assert.Equal(champion, stream.Shard.Forecaster.Model.Parameters);
        Assert.Equal(1, stream.Trainer.Count(TrainingOutcomes.WorseThanChampion));
        Assert.Equal(0, stream.Trainer.Count(TrainingOutcomes.Accepted));
        Assert.Equal(1, stream.Metrics.TrainingRuns.WithLabels(TrainingOutcomes.WorseThanChampion).Value);
        Assert.Equal(0, stream.Metrics.TrainingRuns.WithLabels(TrainingOutcomes.Accepted).Value);
    }

    [Fact]
    public async Task A_challenger_whose_training_went_non_finite_is_rejected_and_the_champion_keeps_serving()
    {
        var (stream, run, _) = await Retrain(Options(steps: 20, learningRate: float.MaxValue));
        using var _ = stream;

        Assert.Equal(TrainingOutcomes.NonFinite, run.Outcome);
        Assert.True(run.Result!.Fit!.StepsRefused > 0);
        Assert.Equal(0, stream.Shard.Forecaster.ModelVersion);
        Assert.Equal(1, stream.Metrics.TrainingRuns.WithLabels(TrainingOutcomes.NonFinite).Value);
        await stream.RunAsync(Wave, 5);
        Assert.All(stream.Sink.Last.Values, f => Assert.All(f.Quantiles, q => Assert.True(double.IsFinite(q))));
        Assert.All(stream.Sink.Last.Values, f => Assert.Equal(0, f.ModelVersion));
    }
}
