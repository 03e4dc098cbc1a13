using System.Numerics;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Plain-loop linear head for one series: y[r] = W_head[r,:]·h + b_head[r], r = k*Q + q.
/// Test oracle and benchmark baseline for <see cref="QuantileHead"/>.
/// </summary>
internal static class ReferenceQuantileHead
{
    /// <summary>y [K*Q] from h [H].</summary>
    public static void Forward<T>(ModelShape shape, ReadOnlySpan<T> parameters, ReadOnlySpan<T> h, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        int hidden = shape.HiddenSize;
        for (var r = 0; r < shape.OutputSize; r++)
        {
            var sum = parameters[shape.HeadBiasOffset + r];
            for (var j = 0; j < hidden; j++)
            {
                sum += parameters[shape.HeadWeightsOffset + (r * hidden) + j] * h[j];
            }

            y[r] = sum;
        }
    }

    /// <summary>Adds dL/dh into dh [H] and dL/dW_head, dL/db_head into dParameters, given dy [K*Q].</summary>
    public static void Backward<T>(ModelShape shape, ReadOnlySpan<T> parameters, ReadOnlySpan<T> h, ReadOnlySpan<T> dy, Span<T> dh, Span<T> dParameters)
        where T : IFloatingPointIeee754<T>
    {
        int hidden = shape.HiddenSize;
        for (var r = 0; r < shape.OutputSize; r++)
        {
            var d = dy[r];
            dParameters[shape.HeadBiasOffset + r] += d;
            for (var j = 0; j < hidden; j++)
            {
                dParameters[shape.HeadWeightsOffset + (r * hidden) + j] += d * h[j];
                dh[j] += d * parameters[shape.HeadWeightsOffset + (r * hidden) + j];
            }
        }
    }
}
