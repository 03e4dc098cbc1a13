using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Fast LSTM cell over a batch of B series. Forward runs <see cref="FusedCell"/> (AVX2 or AVX-512, the weights' path) when 8 divides H,
/// otherwise the portable path (gate products on <see cref="Gemm"/>, activations on TensorPrimitives, the state
/// update in fused loops). Backward adds into its gradient outputs and into <see cref="GradientSums"/>.
/// </summary>
/// <remarks>
/// Buffers (row-major, B = batch):
/// <code>
/// xh     [B, I+H]   each row [x | hPrev]
/// cPrev  [B, H]     previous cell state
/// gates  [B, 4H]    activated gates, each row [i | f | g | o]
/// c      [B, H]     new cell state,  tanhC [B, H] = tanh(c),  h [B, H] = o * tanhC
/// </code>
/// </remarks>
internal static class LstmCell
{
    /// <summary>
    /// One step for B rows: <see cref="FusedCell"/> where it applies, else <see cref="ForwardPortable"/>.
    /// c may be the same span as cPrev (state updated in place); h must not overlap xh.
    /// </summary>
    public static void Forward(
        PackedWeights weights, int batch, ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev,
        Span<float> gates, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        if (FusedCell.Applies(weights))
        {
            FusedCell.Forward(weights, batch, xh, cPrev, gates, c, tanhC, h);
            return;
        }

        ForwardPortable(weights, batch, xh, cPrev, gates, c, tanhC, h);
    }

    /// <summary>The step on <see cref="Gemm"/> and TensorPrimitives: any CPU, any H (tests call it directly to cover it on AVX2 machines).</summary>
    internal static void ForwardPortable(
        PackedWeights weights, int batch, ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev,
        Span<float> gates, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int hidden = weights.Shape.HiddenSize, gateSize = 4 * hidden, n = batch * hidden;
        gates = gates[..(batch * gateSize)];
        Gemm.Run(batch, gateSize, weights.ConcatSize, xh, weights.ConcatSize, 1, weights.GateWeights, gateSize, weights.GateBias, 0, gates, gateSize, weights.Path);
        TensorPrimitives.Sigmoid(gates, gates); // the g block was pre-scaled by 2: its values are σ(2z)
        CellUpdate(batch, hidden, cPrev[..n], gates, c[..n]);
        TensorPrimitives.Tanh(c[..n], tanhC[..n]);
        for (var b = 0; b < batch; b++)
        {
            TensorPrimitives.Multiply(gates.Slice((b * gateSize) + (3 * hidden), hidden), tanhC.Slice(b * hidden, hidden), h.Slice(b * hidden, hidden));
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/> given dh, dc [B, H] (gradients w.r.t. the step's h and c).
    /// Writes the pre-activation gradients into dGates [B, 4H] (scratch), then adds into dx [B, I],
    /// dhPrev [B, H], dcPrev [B, H] (each skipped when empty) and into the gate sums of <paramref name="sums"/>
    /// (fold them into a slab with <see cref="GradientSums.AddTo"/>), on <paramref name="path"/> (null: <see cref="KernelDispatch.Selected"/>).
    /// </summary>
    public static void Backward(
        ModelShape shape, ReadOnlySpan<float> parameters, int batch,
        ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> gates, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, ReadOnlySpan<float> dc, Span<float> dGates,
        Span<float> dx, Span<float> dhPrev, Span<float> dcPrev, GradientSums sums, KernelPath? path = null)
    {
        var kernels = path is { } chosen ? KernelDispatch.Require(chosen) : KernelDispatch.Selected;
        int inputs = shape.InputSize, hidden = shape.HiddenSize, concat = inputs + hidden, gateSize = shape.GateSize, n = batch * hidden;
        dGates = dGates[..(batch * gateSize)];
        if (kernels == KernelPath.Avx512)
        {
            GateGradients512.Run(batch, hidden, cPrev[..n], gates[..(batch * gateSize)], tanhC[..n], dh[..n], dc[..n], dGates, dcPrev.IsEmpty ? dcPrev : dcPrev[..n]);
        }
        else
        {
            GateGradients(batch, hidden, cPrev[..n], gates[..(batch * gateSize)], tanhC[..n], dh[..n], dc[..n], dGates, dcPrev.IsEmpty ? dcPrev : dcPrev[..n]);
        }

        Gemm.Run(concat, gateSize, batch, xh, 1, concat, dGates, gateSize, sums.GateWeights, gateSize, sums.GateWeights, gateSize, kernels);
        for (var b = 0; b < batch; b++)
        {
            TensorPrimitives.Add(sums.GateBias, dGates.Slice(b * gateSize, gateSize), sums.GateBias);
        }

        if (!dhPrev.IsEmpty)
        {
            var whh = parameters.Slice(shape.RecurrentWeightsOffset, gateSize * hidden);
            Gemm.Run(batch, hidden, gateSize, dGates, gateSize, 1, whh, hidden, dhPrev, hidden, dhPrev, hidden, kernels);
        }

        if (!dx.IsEmpty)
        {
            var wih = parameters.Slice(ModelShape.InputWeightsOffset, gateSize * inputs);
            Gemm.Run(batch, inputs, gateSize, dGates, gateSize, 1, wih, inputs, dx, inputs, dx, inputs, kernels);
        }
    }

    /// <summary>Per row: g = 2·σ(2z) − 1 (= tanh z, written back), c = f*cPrev + i*g.</summary>
    private static void CellUpdate(int batch, int hidden, ReadOnlySpan<float> cPrev, Span<float> gates, Span<float> c)
    {
        ref var gt = ref MemoryMarshal.GetReference(gates);
        ref var cp = ref MemoryMarshal.GetReference(cPrev);
        ref var cn = ref MemoryMarshal.GetReference(c);
        var vectors = Vector256.IsHardwareAccelerated ? hidden & ~7 : 0;
        for (var b = 0; b < batch; b++)
        {
            nuint row = (nuint)(b * 4 * hidden), state = (nuint)(b * hidden), f = (nuint)hidden, g = (nuint)(2 * hidden);
            var j = 0;
            for (; j < vectors; j += 8)
            {
                var sg = Vector256.LoadUnsafe(ref gt, row + g + (nuint)j);
                var gv = sg + sg - Vector256<float>.One;
                gv.StoreUnsafe(ref gt, row + g + (nuint)j);
                var cv = (Vector256.LoadUnsafe(ref gt, row + f + (nuint)j) * Vector256.LoadUnsafe(ref cp, state + (nuint)j))
                    + (Vector256.LoadUnsafe(ref gt, row + (nuint)j) * gv);
                cv.StoreUnsafe(ref cn, state + (nuint)j);
            }

            for (; j < hidden; j++)
            {
                var r = (int)row;
                var gs = gates[r + (2 * hidden) + j];
                var gval = gates[r + (2 * hidden) + j] = gs + gs - 1f;
                c[(int)state + j] = (gates[r + hidden + j] * cPrev[(int)state + j]) + (gates[r + j] * gval);
            }
        }
    }

    /// <summary>
    /// One fused pass per row for the element-wise backward (TensorPrimitives has no fused form of it, and
    /// composing it from single operations would take ~20 passes and scratch rows):
    /// dC = dc + dh*o*(1-tanhC²); dGi = dC*g*i(1-i); dGf = dC*cPrev*f(1-f); dGg = dC*i*(1-g²);
    /// dGo = dh*tanhC*o(1-o); dcPrev += dC*f.
    /// </summary>
    private static void GateGradients(
        int batch, int hidden, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> gates, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, ReadOnlySpan<float> dc, Span<float> dGates, Span<float> dcPrev)
    {
        var addPrev = !dcPrev.IsEmpty;
        var vectors = Vector256.IsHardwareAccelerated ? hidden & ~7 : 0;
        var one = Vector256<float>.One;
        for (var b = 0; b < batch; b++)
        {
            var row = gates.Slice(b * 4 * hidden, 4 * hidden);
            var dRow = dGates.Slice(b * 4 * hidden, 4 * hidden);
            var s = b * hidden;
            var j = 0;
            for (; j < vectors; j += 8)
            {
                var i = Vector256.Create(row.Slice(j, 8));
                var f = Vector256.Create(row.Slice(hidden + j, 8));
                var g = Vector256.Create(row.Slice((2 * hidden) + j, 8));
                var o = Vector256.Create(row.Slice((3 * hidden) + j, 8));
                var th = Vector256.Create(tanhC.Slice(s + j, 8));
                var dH = Vector256.Create(dh.Slice(s + j, 8));
                var dC = Vector256.Create(dc.Slice(s + j, 8)) + (dH * o * (one - (th * th)));
                (dC * g * i * (one - i)).CopyTo(dRow[j..]);
                (dC * Vector256.Create(cPrev.Slice(s + j, 8)) * f * (one - f)).CopyTo(dRow[(hidden + j)..]);
                (dC * i * (one - (g * g))).CopyTo(dRow[((2 * hidden) + j)..]);
                (dH * th * o * (one - o)).CopyTo(dRow[((3 * hidden) + j)..]);
                if (addPrev)
                {
                    (Vector256.Create(dcPrev.Slice(s + j, 8)) + (dC * f)).CopyTo(dcPrev[(s + j)..]);
                }
            }

            for (; j < hidden; j++)
            {
                float i = row[j], f = row[hidden + j], g = row[(2 * hidden) + j], o = row[(3 * hidden) + j], th = tanhC[s + j];
                var dC = dc[s + j] + (dh[s + j] * o * (1f - (th * th)));
                dRow[j] = dC * g * i * (1f - i);
                dRow[hidden + j] = dC * cPrev[s + j] * f * (1f - f);
                dRow[(2 * hidden) + j] = dC * i * (1f - (g * g));
                dRow[(3 * hidden) + j] = dh[s + j] * th * o * (1f - o);
                if (addPrev)
                {
                    dcPrev[s + j] += dC * f;
                }
            }
        }
    }
}
