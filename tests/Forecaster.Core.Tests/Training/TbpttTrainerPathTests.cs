using Forecaster.Core.Lstm;
using Forecaster.Core.Tests.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

/// <summary>
/// The whole training step (fused forward, head, loss, backward products, element-wise backward, Adam) on each
/// vector path this process supports against the portable path, whose pieces the reference tests check: same
/// loss and gradients up to float accumulation order, and each path deterministic.
/// </summary>
public class TbpttTrainerPathTests
{
    private static readonly float[] Levels = [0.1f, 0.5f, 0.9f];

    [Theory]
    [MemberData(nameof(KernelPaths.Vector), MemberType = typeof(KernelPaths))]
    public void Loss_and_gradients_match_the_portable_path(KernelPath path)
    {
        var shape = new ModelShape(InputSize: 8, HiddenSize: 64, Horizons: 5, Quantiles: 3);
        var settings = new TrainerSettings(LearningRate: 0.01f, ClipNorm: 1f, Window: 6, Batch: 9); // 9 rows: tiles and lone rows
        var batch = new TrainingBatch(shape, settings.Window, settings.Batch);
        SeededData.Floats(60, batch.Inputs.Length, 1.5f).CopyTo(batch.Inputs, 0);
        SeededData.Floats(61, batch.Targets.Length, 2f).CopyTo(batch.Targets, 0);
        Array.Fill(batch.TargetMask, 1f);
        var parameters = ModelInitializer.Create(shape, Levels, seed: 62).Parameters;

        var portable = new TbpttTrainer(shape, settings, KernelPath.Portable);
        var expectedLoss = portable.ComputeGradients(parameters, Levels, batch, out _);
        var expected = portable.Gradients.ToArray();
        var trainer = new TbpttTrainer(shape, settings, path);
        var loss = trainer.ComputeGradients(parameters, Levels, batch, out _);
        var gradients = trainer.Gradients.ToArray();

        Assert.Equal(expectedLoss, loss, 1e-5);
        var scale = expected.Max(Math.Abs);
        SeededData.AssertClose(expected, gradients, 1e-3, scale);
        Assert.True(scale > 1e-3);
        trainer.ComputeGradients(parameters, Levels, batch, out _);
        Assert.Equal(gradients, trainer.Gradients.ToArray());
    }
}
