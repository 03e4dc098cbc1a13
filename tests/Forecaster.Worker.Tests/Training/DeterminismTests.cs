using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Training;

/// <summary>Same seed, same input order: bit-identical retrained weights (and a different seed gives others).</summary>
public class DeterminismTests
{
    /// <summary>The retraining schedule these tests and <see cref="StepThreadsTests"/> run.</summary>
    internal static TrainingOptions Options(int seed) => new()
    {
        Enabled = true,
        Interval = 0,
        EveryPoints = 8 * 100,
        Window = 48,
        Batch = 8,
        Steps = 60,
        LearningRate = 5e-3f,
        BurnIn = 8,
        MaxSeconds = 600,
        MaxSeries = 5,
        Seed = seed,
    };

    internal static double Wave(int s, long t) => (20 + (10 * s)) * (1 + (0.2 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * s)) / 30.0)));

    private static async Task<float[]> Retrained(int seed)
    {
        using var stream = new TrainingStream(Options(seed), 8);
        await stream.RunAsync(Wave, 250);
        Assert.True(stream.Swaps > 0);
        Assert.Equal(stream.Shard.Forecaster.ModelVersion, stream.Metrics.ModelVersion.WithLabels("metrics", "0", stream.Trainer.Shape).Value);
        Assert.Equal(stream.Trainer.Count(Worker.Training.TrainingOutcomes.Accepted), stream.Metrics.TrainingRuns.WithLabels("accepted").Value);
        Assert.True(double.IsFinite(stream.Metrics.TrainingLastLoss.WithLabels("metrics", "0", stream.Trainer.Shape).Value));
        Assert.True(stream.Metrics.TrainingGradNorm.WithLabels("metrics", "0", stream.Trainer.Shape).Value > 0);
        return stream.Trainer.LastRun!.Result!.Fit!.Model.Parameters;
    }

    [Fact]
    public async Task Fixed_seed_and_input_order_give_bit_identical_weights()
    {
        var first = await Retrained(11);
        var second = await Retrained(11);
        var other = await Retrained(12);

        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(first.Select(BitConverter.SingleToInt32Bits), other.Select(BitConverter.SingleToInt32Bits));
    }
}
