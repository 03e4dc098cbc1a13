using System.Numerics.Tensors;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Fast linear quantile head over R rows: y [R, K*Q] = h [R, H]·W_headᵀ + b_head, output column r = k*Q + q.
/// Backward adds into its gradient outputs.
/// </summary>
internal static class QuantileHead
{
    /// <summary>y [R, K*Q] from h [R, H].</summary>
    public static void Forward(PackedWeights weights, int rows, ReadOnlySpan<float> h, Span<float> y)
    {
        int hidden = weights.Shape.HiddenSize, outputs = weights.Shape.OutputSize;
        Gemm.Run(rows, outputs, hidden, h, hidden, 1, weights.HeadWeights, outputs, weights.HeadBias, 0, y, outputs, weights.Path);
    }

    /// <summary>
    /// Given dy [R, K*Q], adds hᵀ·dy and the column sums of dy into the head sums of <paramref name="sums"/>,
    /// and dy·W_head into dh [R, H] (skipped when empty), on <paramref name="path"/> (null: <see cref="KernelDispatch.Selected"/>).
    /// </summary>
    public static void Backward(
        ModelShape shape, ReadOnlySpan<float> parameters, int rows, ReadOnlySpan<float> h, ReadOnlySpan<float> dy,
        Span<float> dh, GradientSums sums, KernelPath? path = null)
    {
        int hidden = shape.HiddenSize, outputs = shape.OutputSize;
        Gemm.Run(hidden, outputs, rows, h, 1, hidden, dy, outputs, sums.HeadWeights, outputs, sums.HeadWeights, outputs, path);
        for (var r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(sums.HeadBias, dy.Slice(r * outputs, outputs), sums.HeadBias);
        }

        if (!dh.IsEmpty)
        {
            var w = parameters.Slice(shape.HeadWeightsOffset, outputs * hidden);
            Gemm.Run(rows, hidden, outputs, dy, outputs, 1, w, hidden, dh, hidden, dh, hidden, path);
        }
    }
}
