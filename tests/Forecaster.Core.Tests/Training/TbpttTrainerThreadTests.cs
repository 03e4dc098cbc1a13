using Forecaster.Core.Lstm;
using Forecaster.Core.Tests.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

/// <summary>
/// A step split over threads (<see cref="TrainerSettings.Threads"/>): the same loss and gradients as one
/// thread up to float summation order, bit-identical from run to run for a given thread count, and more
/// threads than windows simply use one per window.
/// </summary>
public class TbpttTrainerThreadTests
{
    private static readonly ModelShape Shape = new(InputSize: 4, HiddenSize: 16, Horizons: 3, Quantiles: 3);
    private static readonly float[] Levels = [0.1f, 0.5f, 0.9f];

    [Theory]
    [InlineData(2, 10)]
    [InlineData(3, 10)]
    [InlineData(8, 5)] // more threads than windows: 5 shards of one window
    public void Split_steps_match_one_thread_and_repeat_bit_for_bit(int threads, int windows)
    {
        var settings = new TrainerSettings(LearningRate: 0.01f, ClipNorm: 1f, Window: 7, Batch: windows);
        var batch = Batch(settings);
        var initial = ModelInitializer.Create(Shape, Levels, seed: 71).Parameters;

        var one = new TbpttTrainer(Shape, settings);
        var oneLoss = one.ComputeGradients(initial, Levels, batch, out _);
        var split = new TbpttTrainer(Shape, settings with { Threads = threads });
        var splitLoss = split.ComputeGradients(initial, Levels, batch, out var anyTarget);
        Assert.True(anyTarget);
        Assert.Equal(oneLoss, splitLoss, 1e-6);
        var expected = one.Gradients.ToArray();
        SeededData.AssertClose(expected, split.Gradients, 1e-4, expected.Max(Math.Abs));
        Assert.Equal(one.Evaluate(initial, Levels, batch), split.Evaluate(initial, Levels, batch), 1e-6);

        Assert.Equal(Train(settings with { Threads = threads }, batch), Train(settings with { Threads = threads }, batch));
    }

    [Fact]
    public void Zero_threads_are_refused()
    {
        var settings = new TrainerSettings(LearningRate: 0.01f, ClipNorm: 1f, Window: 7, Batch: 4) { Threads = 0 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new TbpttTrainer(Shape, settings));
    }

    private static float[] Train(TrainerSettings settings, TrainingBatch batch)
    {
        var parameters = ModelInitializer.Create(Shape, Levels, seed: 72).Parameters;
        var trainer = new TbpttTrainer(Shape, settings);
        for (var step = 0; step < 4; step++)
        {
            Assert.True(trainer.Step(parameters, Levels, batch).Applied);
        }

        return parameters;
    }

    private static TrainingBatch Batch(TrainerSettings settings)
    {
        var batch = new TrainingBatch(Shape, settings.Window, settings.Batch);
        SeededData.Floats(73, batch.Inputs.Length, 1.5f).CopyTo(batch.Inputs, 0);
        SeededData.Floats(74, batch.Targets.Length, 2f).CopyTo(batch.Targets, 0);
        var draw = SeededData.Floats(75, batch.TargetMask.Length);
        for (var i = 0; i < draw.Length; i++)
        {
            batch.TargetMask[i] = draw[i] > -0.6f ? 1f : 0f;
            batch.Targets[i] = batch.TargetMask[i] != 0f ? batch.Targets[i] : float.NaN; // absent targets are never read
        }

        return batch;
    }
}
