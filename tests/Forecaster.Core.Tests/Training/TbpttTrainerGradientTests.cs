using Forecaster.Core.Lstm;
using Forecaster.Core.Tests.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

/// <summary>
/// Finite differences of a whole TBPTT window: the fast float gradients of <see cref="TbpttTrainer"/> against
/// central differences of <see cref="ReferenceWindowLoss"/> in double (ε = 1e-6). The pinball loss has kinks
/// where a prediction equals its target; with targets ~O(1) away and ε tiny, no sampled difference straddles
/// one. Tolerance 1e-3 relative (floor 1e-4) covers float accumulation in the fast path.
/// </summary>
public class TbpttTrainerGradientTests
{
    [Theory]
    [InlineData(5)] // the portable cell
    [InlineData(8)] // the fused cell (where the CPU has AVX2 and FMA)
    public void Window_gradients_match_finite_differences_for_a_sample_of_parameters(int hidden)
    {
        var shape = new ModelShape(InputSize: 3, HiddenSize: hidden, Horizons: 2, Quantiles: 3);
        float[] levels = [0.1f, 0.5f, 0.9f];
        var batch = new TrainingBatch(shape, window: 10, batch: 15); // 150 rows: two head blocks
        SeededData.Floats(80, batch.Inputs.Length, 1.5f).CopyTo(batch.Inputs, 0);
        SeededData.Floats(81, batch.Targets.Length, 2f).CopyTo(batch.Targets, 0);
        var maskDraw = SeededData.Floats(82, batch.TargetMask.Length);
        for (var i = 0; i < maskDraw.Length; i++)
        {
            var present = maskDraw[i] > -0.5f;
            batch.TargetMask[i] = present ? 1f : 0f;
            batch.Targets[i] = present ? batch.Targets[i] : float.NaN; // absent targets must never be read
        }

        var parameters = ModelInitializer.Create(shape, levels, seed: 83).Parameters;
        var trainer = new TbpttTrainer(shape, new TrainerSettings(LearningRate: 0.01f, ClipNorm: 1f, Window: 10, Batch: 15));
        var loss = trainer.ComputeGradients(parameters, levels, batch, out var anyTarget);
        Assert.True(anyTarget);
        var analytic = trainer.Gradients.ToArray();

        var values = SeededData.ToDouble(parameters);
        Assert.Equal(ReferenceWindowLoss.Compute(shape, values, levels, batch), loss, 1e-5);
        const double epsilon = 1e-6;
        var checkedCount = 0;
        for (var p = 0; p < values.Length; p += 3)
        {
            var saved = values[p];
            values[p] = saved + epsilon;
            var up = ReferenceWindowLoss.Compute(shape, values, levels, batch);
            values[p] = saved - epsilon;
            var down = ReferenceWindowLoss.Compute(shape, values, levels, batch);
            values[p] = saved;
            var numeric = (up - down) / (2 * epsilon);
            var tolerance = 1e-3 * Math.Max(Math.Abs(numeric), 1e-1);
            Assert.True(Math.Abs(analytic[p] - numeric) <= tolerance, $"parameter {p}: analytic {analytic[p]:R}, numeric {numeric:R}");
            checkedCount++;
        }

        Assert.True(checkedCount > 50);
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-3); // the check is not vacuous
    }
}
