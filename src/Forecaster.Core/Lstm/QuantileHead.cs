namespace Forecaster.Core.Lstm;

/// <summary>
/// Fast linear quantile head over R rows: y [R, K*Q] = h [R, H]·W_headᵀ + b_head, output column r = k*Q + q.
/// Backward adds into its gradient outputs.
/// </summary>
internal static class QuantileHead
{
    private static readonly float[] One = [1f];

    /// <summary>y [R, K*Q] from h [R, H].</summary>
    public static void Forward(PackedWeights weights, int rows, ReadOnlySpan<float> h, Span<float> y)
    {
        int hidden = weights.Shape.HiddenSize, outputs = weights.Shape.OutputSize;
        Gemm.Run(rows, outputs, hidden, h, hidden, 1, weights.HeadWeights, outputs, weights.HeadBias, 0, y, outputs);
    }

    /// <summary>
    /// Given dy [R, K*Q], adds dyᵀ·h into W_head and column sums of dy into b_head of dParameters,
    /// and dy·W_head into dh [R, H] (skipped when empty). dyTransposed [K*Q, R] is scratch.
    /// </summary>
    public static void Backward(
        ModelShape shape, ReadOnlySpan<float> parameters, int rows, ReadOnlySpan<float> h, ReadOnlySpan<float> dy,
        Span<float> dyTransposed, Span<float> dh, Span<float> dParameters)
    {
        int hidden = shape.HiddenSize, outputs = shape.OutputSize;
        var dW = dParameters.Slice(shape.HeadWeightsOffset, outputs * hidden);
        var dB = dParameters.Slice(shape.HeadBiasOffset, outputs);
        MatrixTranspose.Run(rows, outputs, dy, dyTransposed);
        Gemm.Run(outputs, hidden, rows, dyTransposed, rows, 1, h, hidden, dW, hidden, dW, hidden);
        Gemm.Run(1, outputs, rows, One, 0, 0, dy, outputs, dB, outputs, dB, outputs);
        if (!dh.IsEmpty)
        {
            var w = parameters.Slice(shape.HeadWeightsOffset, outputs * hidden);
            Gemm.Run(rows, hidden, outputs, dy, outputs, 1, w, hidden, dh, hidden, dh, hidden);
        }
    }
}
