using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Fast LSTM cell over a batch of B series: gate products on <see cref="Gemm"/>, element-wise work on
/// TensorPrimitives. Forward and backward side by side; backward adds into its gradient outputs.
/// </summary>
/// <remarks>
/// Buffers (row-major, B = batch):
/// <code>
/// xh     [B, I+H]   each row [x | hPrev]
/// cPrev  [B, H]     previous cell state
/// gates  [4, B, H]  activated gates, one plane per gate in order i, f, g, o
/// c      [B, H]     new cell state,  tanhC [B, H] = tanh(c),  h [B, H] = o * tanhC
/// </code>
/// Gate-major planes let each activation run as one TensorPrimitives call over B*H elements.
/// </remarks>
internal static class LstmCell
{
    private static readonly float[] One = [1f];

    /// <summary>One step for B rows. c may alias cPrev, h may alias the h part of nothing else.</summary>
    public static void Forward(
        PackedWeights weights, int batch, ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev,
        Span<float> gates, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        var hidden = weights.Shape.HiddenSize;
        var concat = weights.ConcatSize;
        var n = batch * hidden;
        for (var g = 0; g < 4; g++)
        {
            Gemm.Run(
                batch, hidden, concat, xh, concat, 1, weights.GateWeights.AsSpan(weights.GateOffset(g)), hidden,
                weights.GateBias.AsSpan(g * hidden, hidden), 0, gates.Slice(g * n, n), hidden);
        }

        TensorPrimitives.Sigmoid(gates[..(2 * n)], gates[..(2 * n)]);
        TensorPrimitives.Tanh(gates.Slice(2 * n, n), gates.Slice(2 * n, n));
        TensorPrimitives.Sigmoid(gates.Slice(3 * n, n), gates.Slice(3 * n, n));
        TensorPrimitives.Multiply(gates.Slice(n, n), cPrev[..n], c[..n]);
        TensorPrimitives.FusedMultiplyAdd(gates[..n], gates.Slice(2 * n, n), c[..n], c[..n]);
        TensorPrimitives.Tanh(c[..n], tanhC[..n]);
        TensorPrimitives.Multiply(gates.Slice(3 * n, n), tanhC[..n], h[..n]);
    }

    /// <summary>
    /// Backward of <see cref="Forward"/> given dh, dc [B, H] (gradients w.r.t. the step's h and c).
    /// Writes the pre-activation gradients into dGates [4, B, H] (scratch), then adds into dx [B, I],
    /// dhPrev [B, H], dcPrev [B, H] (each skipped when empty) and into W_ih, W_hh, b_ih, b_hh of dParameters.
    /// </summary>
    public static void Backward(
        ModelShape shape, ReadOnlySpan<float> parameters, int batch,
        ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> gates, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, ReadOnlySpan<float> dc, Span<float> dGates,
        Span<float> dx, Span<float> dhPrev, Span<float> dcPrev, Span<float> dParameters)
    {
        int inputs = shape.InputSize, hidden = shape.HiddenSize, concat = inputs + hidden, n = batch * hidden;
        GateGradients(n, cPrev[..n], gates[..(4 * n)], tanhC[..n], dh[..n], dc[..n], dGates[..(4 * n)], dcPrev);
        for (var g = 0; g < 4; g++)
        {
            var dGate = dGates.Slice(g * n, n);
            var dWih = dParameters.Slice(ModelShape.InputWeightsOffset + (g * hidden * inputs), hidden * inputs);
            var dWhh = dParameters.Slice(shape.RecurrentWeightsOffset + (g * hidden * hidden), hidden * hidden);
            Gemm.Run(hidden, inputs, batch, dGate, 1, hidden, xh, concat, dWih, inputs, dWih, inputs);
            Gemm.Run(hidden, hidden, batch, dGate, 1, hidden, xh[inputs..], concat, dWhh, hidden, dWhh, hidden);
            foreach (var offset in (ReadOnlySpan<int>)[shape.InputBiasOffset, shape.RecurrentBiasOffset])
            {
                var dBias = dParameters.Slice(offset + (g * hidden), hidden);
                Gemm.Run(1, hidden, batch, One, 0, 0, dGate, hidden, dBias, hidden, dBias, hidden);
            }

            if (!dhPrev.IsEmpty)
            {
                var whh = parameters.Slice(shape.RecurrentWeightsOffset + (g * hidden * hidden), hidden * hidden);
                Gemm.Run(batch, hidden, hidden, dGate, hidden, 1, whh, hidden, dhPrev, hidden, dhPrev, hidden);
            }

            if (!dx.IsEmpty)
            {
                var wih = parameters.Slice(ModelShape.InputWeightsOffset + (g * hidden * inputs), hidden * inputs);
                Gemm.Run(batch, inputs, hidden, dGate, hidden, 1, wih, inputs, dx, inputs, dx, inputs);
            }
        }
    }

    /// <summary>
    /// One fused pass for the element-wise backward (TensorPrimitives has no fused form of it, and composing it
    /// from single operations would take ~20 passes and a scratch plane):
    /// dC = dc + dh*o*(1-tanhC²); dGi = dC*g*i(1-i); dGf = dC*cPrev*f(1-f); dGg = dC*i*(1-g²);
    /// dGo = dh*tanhC*o(1-o); dcPrev += dC*f.
    /// </summary>
    private static void GateGradients(
        int n, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> gates, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, ReadOnlySpan<float> dc, Span<float> dGates, Span<float> dcPrev)
    {
        var addPrev = !dcPrev.IsEmpty;
        if (addPrev && dcPrev.Length < n)
        {
            throw new ArgumentException("dcPrev is too short.", nameof(dcPrev));
        }

        ref var gi = ref MemoryMarshal.GetReference(gates);
        ref var gd = ref MemoryMarshal.GetReference(dGates);
        ref var dcp = ref MemoryMarshal.GetReference(dcPrev);
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            for (; k + 8 <= n; k += 8)
            {
                var i = Vector256.LoadUnsafe(ref gi, (nuint)k);
                var f = Vector256.LoadUnsafe(ref gi, (nuint)(n + k));
                var g = Vector256.LoadUnsafe(ref gi, (nuint)((2 * n) + k));
                var o = Vector256.LoadUnsafe(ref gi, (nuint)((3 * n) + k));
                var th = Vector256.Create(tanhC.Slice(k, 8));
                var dH = Vector256.Create(dh.Slice(k, 8));
                var dC = Vector256.Create(dc.Slice(k, 8)) + (dH * o * (one - (th * th)));
                (dC * g * i * (one - i)).StoreUnsafe(ref gd, (nuint)k);
                (dC * Vector256.Create(cPrev.Slice(k, 8)) * f * (one - f)).StoreUnsafe(ref gd, (nuint)(n + k));
                (dC * i * (one - (g * g))).StoreUnsafe(ref gd, (nuint)((2 * n) + k));
                (dH * th * o * (one - o)).StoreUnsafe(ref gd, (nuint)((3 * n) + k));
                if (addPrev)
                {
                    (Vector256.LoadUnsafe(ref dcp, (nuint)k) + (dC * f)).StoreUnsafe(ref dcp, (nuint)k);
                }
            }
        }

        for (; k < n; k++)
        {
            float i = gates[k], f = gates[n + k], g = gates[(2 * n) + k], o = gates[(3 * n) + k], th = tanhC[k];
            var dC = dc[k] + (dh[k] * o * (1f - (th * th)));
            dGates[k] = dC * g * i * (1f - i);
            dGates[n + k] = dC * cPrev[k] * f * (1f - f);
            dGates[(2 * n) + k] = dC * i * (1f - (g * g));
            dGates[(3 * n) + k] = dh[k] * th * o * (1f - o);
            if (addPrev)
            {
                Unsafe.Add(ref dcp, k) += dC * f;
            }
        }
    }
}
