using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Masked pinball (quantile) loss: for level τ and u = target − prediction, L = max(τ·u, (τ−1)·u).
/// The target of horizon k applies to all Q outputs of that horizon; the mean runs over present targets × Q.
/// </summary>
/// <remarks>
/// Shapes over R rows: predictions [R, K*Q] (column k*Q + q), targets and mask [R, K], levels [Q].
/// A target counts when its mask is non-zero; an absent target is never read into the sum (it may be NaN).
/// With no target present the loss is 0 and the gradient 0.
/// </remarks>
public static class PinballLoss
{
    /// <summary>Outputs per row up to which the vectorised sum keeps its per-column tables on the stack.</summary>
    private const int MaxVectorOutputs = 4096;

    /// <summary>Mean loss over present targets × Q.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape.</exception>
    public static double Value(
        ModelShape shape, int rows, ReadOnlySpan<float> quantileLevels,
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, ReadOnlySpan<float> mask) =>
        Run(shape, rows, quantileLevels, predictions, targets, mask, [], gradient: false);

    /// <summary>
    /// Mean loss, and its gradient w.r.t. the predictions written (not added) into dPredictions [R, K*Q]:
    /// −τ/n where the target is above the prediction, (1−τ)/n otherwise, 0 where absent (n = present × Q).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape (including "destination too short").</exception>
    public static double ValueAndGradient(
        ModelShape shape, int rows, ReadOnlySpan<float> quantileLevels,
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, ReadOnlySpan<float> mask, Span<float> dPredictions) =>
        Run(shape, rows, quantileLevels, predictions, targets, mask, dPredictions, gradient: true);

    private static double Run(
        ModelShape shape, int rows, ReadOnlySpan<float> levels, ReadOnlySpan<float> predictions,
        ReadOnlySpan<float> targets, ReadOnlySpan<float> mask, Span<float> dPredictions, bool gradient)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int horizons = shape.Horizons, quantiles = shape.Quantiles, outputs = shape.OutputSize;
        if (levels.Length != quantiles)
        {
            throw new ArgumentException($"Expected {quantiles} quantile levels, got {levels.Length}.", nameof(levels));
        }

        Require(predictions.Length, rows * outputs, "predictions", nameof(predictions));
        Require(targets.Length, rows * horizons, "targets", nameof(targets));
        Require(mask.Length, rows * horizons, "mask", nameof(mask));
        if (gradient)
        {
            Require(dPredictions.Length, rows * outputs, "Destination too short: dPredictions", nameof(dPredictions));
        }

        var present = CountPresent(mask[..(rows * horizons)]);
        if (gradient)
        {
            dPredictions[..(rows * outputs)].Clear();
        }

        if (present == 0)
        {
            return 0.0;
        }

        var scale = 1f / (present * quantiles);
        var sum = Sum(shape, rows, levels, predictions, targets, mask, scale, gradient ? dPredictions : []);
        return sum / (present * quantiles);
    }

    /// <summary>Number of non-zero mask entries (present targets).</summary>
    internal static int CountPresent(ReadOnlySpan<float> mask)
    {
        var present = 0;
        foreach (var m in mask)
        {
            present += m != 0f ? 1 : 0;
        }

        return present;
    }

    /// <summary>
    /// Unnormalised loss sum over R rows (lengths unchecked: callers slice). When dPredictions is not empty,
    /// writes the gradient of scale × sum into it (0 where the target is absent).
    /// </summary>
    internal static double Sum(
        ModelShape shape, int rows, ReadOnlySpan<float> levels, ReadOnlySpan<float> predictions,
        ReadOnlySpan<float> targets, ReadOnlySpan<float> mask, float scale, Span<float> dPredictions)
    {
        int horizons = shape.Horizons, quantiles = shape.Quantiles, outputs = shape.OutputSize;
        if (Avx2.IsSupported && outputs >= Vector256<float>.Count && outputs <= MaxVectorOutputs)
        {
            return SumVectorised(shape, rows, levels, predictions, targets, mask, scale, dPredictions);
        }

        var gradient = !dPredictions.IsEmpty;
        var sum = 0.0;
        for (var t = 0; t < rows * horizons; t++)
        {
            var row = t / horizons;
            var first = (row * outputs) + ((t - (row * horizons)) * quantiles);
            if (mask[t] == 0f)
            {
                if (gradient)
                {
                    dPredictions.Slice(first, quantiles).Clear();
                }

                continue;
            }

            for (var q = 0; q < quantiles; q++)
            {
                var tau = levels[q];
                var u = targets[t] - predictions[first + q];
                sum += u > 0f ? tau * u : (tau - 1f) * u;
                if (gradient)
                {
                    dPredictions[first + q] = (u > 0f ? -tau : 1f - tau) * scale;
                }
            }
        }

        return sum;
    }

    /// <summary>
    /// <see cref="Sum"/> eight outputs at a time, branch-free (the sign of u is a coin flip for a good model, so
    /// the scalar loop mispredicts half its branches): each lane's target and mask are gathered from its horizon,
    /// loss = max(τ·u, (τ−1)·u), absent lanes are masked to 0 (a NaN target there drops out; a present NaN stays NaN).
    /// Each row's lanes are summed in float, the rows in double; the gradient values are the scalar loop's exactly.
    /// </summary>
    private static unsafe double SumVectorised(
        ModelShape shape, int rows, ReadOnlySpan<float> levels, ReadOnlySpan<float> predictions,
        ReadOnlySpan<float> targets, ReadOnlySpan<float> mask, float scale, Span<float> dPredictions)
    {
        int horizons = shape.Horizons, quantiles = shape.Quantiles, outputs = shape.OutputSize, vectors = outputs & ~7;
        Span<int> horizonOf = stackalloc int[outputs];
        Span<float> levelOf = stackalloc float[outputs];
        for (var j = 0; j < outputs; j++)
        {
            horizonOf[j] = j / quantiles;
            levelOf[j] = levels[j % quantiles];
        }

        var gradient = !dPredictions.IsEmpty;
        var vScale = Vector256.Create(scale);
        var sum = 0.0;
        fixed (float* pred = predictions, target = targets, present = mask, grad = dPredictions, level = levelOf)
        fixed (int* horizon = horizonOf)
        {
            for (var r = 0; r < rows; r++)
            {
                float* y = pred + ((nint)r * outputs), t = target + ((nint)r * horizons), m = present + ((nint)r * horizons);
                var acc = Vector256<float>.Zero;
                for (var j = 0; j < vectors; j += 8)
                {
                    var index = Avx.LoadVector256(horizon + j);
                    var keep = Avx.CompareNotEqual(Avx2.GatherVector256(m, index, 4), Vector256<float>.Zero);
                    var tau = Avx.LoadVector256(level + j);
                    var u = Avx.Subtract(Avx2.GatherVector256(t, index, 4), Avx.LoadVector256(y + j));
                    acc = Avx.Add(acc, Avx.And(Avx.Max(Avx.Multiply(tau, u), Avx.Multiply(Avx.Subtract(tau, Vector256<float>.One), u)), keep));
                    if (gradient)
                    {
                        var above = Avx.CompareGreaterThan(u, Vector256<float>.Zero);
                        var slope = Avx.BlendVariable(Avx.Subtract(Vector256<float>.One, tau), Avx.Xor(tau, Vector256.Create(-0f)), above);
                        Avx.Store(grad + ((nint)r * outputs) + j, Avx.And(Avx.Multiply(slope, vScale), keep));
                    }
                }

                var rowSum = (double)Vector256.Sum(acc);
                for (var j = vectors; j < outputs; j++)
                {
                    var k = horizonOf[j];
                    var tau = levelOf[j];
                    var u = m[k] != 0f ? t[k] - y[j] : 0f;
                    rowSum += u > 0f ? tau * u : (tau - 1f) * u;
                    if (gradient)
                    {
                        grad[((nint)r * outputs) + j] = m[k] != 0f ? (u > 0f ? -tau : 1f - tau) * scale : 0f;
                    }
                }

                sum += rowSum;
            }
        }

        return sum;
    }

    private static void Require(int length, int needed, string what, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"{what} needs {needed} elements, got {length}.", name);
        }
    }
}
