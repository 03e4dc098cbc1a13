using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// AVX2/FMA forward of the LSTM cell with the gate products, activations and state update fused: for each block
/// of 8 hidden units one pass over its gate panel (<see cref="PackedWeights.GatePanel"/>) accumulates the four
/// gate pre-activations of those units in registers; they go to a few KB of stack scratch that stays in L1, and
/// sigmoid/tanh (<see cref="FastActivations"/>), c and h follow from there. No [B, 4H] buffer is written unless
/// the caller keeps the gates (training). <see cref="Forward"/> is the entry for both vector paths: weights packed
/// for AVX-512 go to <see cref="FusedCell512"/>.
/// </summary>
/// <remarks>
/// Rows go in tiles of 3 (12 accumulators: 3 rows × 4 gates) with the block's panel (9 KB at H = 64) staying in
/// L1 across the tiles; left-over rows go one at a time over two blocks at once (8 accumulators, so the FMA
/// latency is covered). Every pre-activation is bias + Σ_p xh[p]·W[p] summed in p order in every kernel, so a
/// row's result does not depend on its position in the batch or the batch size.
/// </remarks>
[SkipLocalsInit] // z is scratch written before it is read
internal static unsafe class FusedCell
{
    /// <summary>Hidden units per block (one Vector256 per gate).</summary>
    public const int Units = 8;

    private const int Width = 4 * Units;

    /// <summary>Groups of pre-activations z holds: blocks of one lone row, or rows of one block, finished together.</summary>
    private const int ChunkBlocks = 15;

    /// <summary>Rows of 3-row tiles finished together (fewer calls, longer loops for the out-of-order core).</summary>
    private const int ChunkRows = ChunkBlocks;

    /// <summary>These weights run a fused kernel: a vector path (AVX2 or AVX-512, see <see cref="KernelDispatch"/>) and 8 divides H (so the weights were packed into panels).</summary>
    public static bool Applies(PackedWeights weights) => weights.Path != KernelPath.Portable && weights.Shape.HiddenSize % Units == 0;

    /// <summary>
    /// One step for B rows (buffers as in <see cref="LstmCell"/>) on the weights' path: <see cref="FusedCell512"/>
    /// for AVX-512, the kernels below for AVX2. <paramref name="gates"/> [B, 4H] and
    /// <paramref name="tanhC"/> [B, H] are written only when not empty (training keeps them, inference does not).
    /// c may be the same span as cPrev; h must not overlap xh.
    /// </summary>
    public static void Forward(
        PackedWeights weights, int batch, ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev,
        Span<float> gates, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int hidden = weights.Shape.HiddenSize, concat = weights.ConcatSize, n = batch * hidden, blocks = hidden / Units;
        if (xh.Length < batch * concat || cPrev.Length < n || c.Length < n || h.Length < n
            || (!gates.IsEmpty && gates.Length < 4 * n) || (!tanhC.IsEmpty && tanhC.Length < n))
        {
            throw new ArgumentException($"A buffer is shorter than its shape for B = {batch}, H = {hidden}.", nameof(xh));
        }

        if (!Applies(weights))
        {
            throw new ArgumentException($"The fused cell needs a vector kernel path and H a multiple of {Units} (path {weights.Path}, H = {hidden}).", nameof(weights));
        }

        if (weights.Path == KernelPath.Avx512)
        {
            FusedCell512.Forward(weights, batch, xh, cPrev, gates, c, tanhC, h);
            return;
        }

        fixed (float* px = xh, pcp = cPrev, pg = gates, pc = c, pt = tanhC, ph = h, panel = weights.GatePanel, bias = weights.PanelBias)
        {
            var z = stackalloc float[ChunkBlocks * Width];
            var state = new State(pcp, pc, ph, pg, pt, hidden);
            var tiled = batch - (batch % 3);
            for (var block = 0; block < blocks; block++)
            {
                var w = panel + (block * concat * Width);
                for (var r0 = 0; r0 < tiled; r0 += ChunkRows)
                {
                    var rows = Math.Min(ChunkRows, tiled - r0);
                    for (var r = 0; r < rows; r += 3)
                    {
                        Rows3(concat, px + ((r0 + r) * concat), concat, w, bias + (block * Width), z + (r * Width));
                    }

                    state.Finish(z, rows, r0, 1, block * Units, 0);
                }
            }

            for (var r = tiled; r < batch; r++)
            {
                for (var first = 0; first < blocks; first += ChunkBlocks)
                {
                    var count = Math.Min(ChunkBlocks, blocks - first);
                    for (var offset = 0; offset < count; offset += 2)
                    {
                        var block = first + offset;
                        if (offset + 1 < count)
                        {
                            Row1Blocks2(concat, px + (r * concat), panel + (block * concat * Width), bias + (block * Width), z + (offset * Width));
                        }
                        else
                        {
                            Row1Block1(concat, px + (r * concat), panel + (block * concat * Width), bias + (block * Width), z + (offset * Width));
                        }
                    }

                    state.Finish(z, count, r, 0, first * Units, Units);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows3(int k, float* x, nint ldx, float* w, float* bias, float* z)
    {
        var i0 = Avx.LoadVector256(bias);
        var f0 = Avx.LoadVector256(bias + 8);
        var g0 = Avx.LoadVector256(bias + 16);
        var o0 = Avx.LoadVector256(bias + 24);
        Vector256<float> i1 = i0, f1 = f0, g1 = g0, o1 = o0, i2 = i0, f2 = f0, g2 = g0, o2 = o0;
        float* x1 = x + ldx, x2 = x + (2 * ldx);
        for (nint p = 0; p < k; p++, w += Width)
        {
            var a0 = Avx.BroadcastScalarToVector256(x + p);
            var a1 = Avx.BroadcastScalarToVector256(x1 + p);
            var a2 = Avx.BroadcastScalarToVector256(x2 + p);
            var v = Avx.LoadVector256(w);
            i0 = Fma.MultiplyAdd(a0, v, i0);
            i1 = Fma.MultiplyAdd(a1, v, i1);
            i2 = Fma.MultiplyAdd(a2, v, i2);
            v = Avx.LoadVector256(w + 8);
            f0 = Fma.MultiplyAdd(a0, v, f0);
            f1 = Fma.MultiplyAdd(a1, v, f1);
            f2 = Fma.MultiplyAdd(a2, v, f2);
            v = Avx.LoadVector256(w + 16);
            g0 = Fma.MultiplyAdd(a0, v, g0);
            g1 = Fma.MultiplyAdd(a1, v, g1);
            g2 = Fma.MultiplyAdd(a2, v, g2);
            v = Avx.LoadVector256(w + 24);
            o0 = Fma.MultiplyAdd(a0, v, o0);
            o1 = Fma.MultiplyAdd(a1, v, o1);
            o2 = Fma.MultiplyAdd(a2, v, o2);
        }

        Store(z, i0, f0, g0, o0);
        Store(z + Width, i1, f1, g1, o1);
        Store(z + (2 * Width), i2, f2, g2, o2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1Blocks2(int k, float* x, float* w, float* bias, float* z)
    {
        var i0 = Avx.LoadVector256(bias);
        var f0 = Avx.LoadVector256(bias + 8);
        var g0 = Avx.LoadVector256(bias + 16);
        var o0 = Avx.LoadVector256(bias + 24);
        var i1 = Avx.LoadVector256(bias + Width);
        var f1 = Avx.LoadVector256(bias + Width + 8);
        var g1 = Avx.LoadVector256(bias + Width + 16);
        var o1 = Avx.LoadVector256(bias + Width + 24);
        var w1 = w + (k * Width);
        for (nint p = 0; p < k; p++, w += Width, w1 += Width)
        {
            var a = Avx.BroadcastScalarToVector256(x + p);
            i0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w), i0);
            f0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w + 8), f0);
            g0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w + 16), g0);
            o0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w + 24), o0);
            i1 = Fma.MultiplyAdd(a, Avx.LoadVector256(w1), i1);
            f1 = Fma.MultiplyAdd(a, Avx.LoadVector256(w1 + 8), f1);
            g1 = Fma.MultiplyAdd(a, Avx.LoadVector256(w1 + 16), g1);
            o1 = Fma.MultiplyAdd(a, Avx.LoadVector256(w1 + 24), o1);
        }

        Store(z, i0, f0, g0, o0);
        Store(z + Width, i1, f1, g1, o1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1Block1(int k, float* x, float* w, float* bias, float* z)
    {
        var i0 = Avx.LoadVector256(bias);
        var f0 = Avx.LoadVector256(bias + 8);
        var g0 = Avx.LoadVector256(bias + 16);
        var o0 = Avx.LoadVector256(bias + 24);
        for (nint p = 0; p < k; p++, w += Width)
        {
            var a = Avx.BroadcastScalarToVector256(x + p);
            i0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w), i0);
            f0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w + 8), f0);
            g0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w + 16), g0);
            o0 = Fma.MultiplyAdd(a, Avx.LoadVector256(w + 24), o0);
        }

        Store(z, i0, f0, g0, o0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* z, Vector256<float> i, Vector256<float> f, Vector256<float> g, Vector256<float> o)
    {
        Avx.Store(z, i);
        Avx.Store(z + 8, f);
        Avx.Store(z + 16, g);
        Avx.Store(z + 24, o);
    }

    /// <summary>Where a step's results go; <see cref="Finish"/> turns pre-activations into them.</summary>
    private readonly struct State(float* cPrev, float* c, float* h, float* gates, float* tanhC, int hidden)
    {
        /// <summary>
        /// z holds <paramref name="count"/> groups [i | f | g | o] of pre-activations; group j belongs to row
        /// row + j·rowStep, units unit + j·unitStep .. +7. Two passes over the groups so independent activations
        /// sit next to each other for the out-of-order core (one group alone is one long dependency chain) and
        /// each loop keeps its constants in registers: sigmoid of all four gates in place (the g panel is
        /// pre-scaled by 2, so tanh g = 2σ(2g) − 1), then c, then tanh(c) and h.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void Finish(float* z, int count, int row, int rowStep, int unit, int unitStep)
        {
            for (var v = 0; v < 4 * count; v++)
            {
                Avx.Store(z + (8 * v), FastActivations.Sigmoid(Avx.LoadVector256(z + (8 * v))));
            }

            for (var j = 0; j < count; j++)
            {
                var zj = z + (j * Width);
                var at = ((nint)(row + (j * rowStep)) * hidden) + unit + (j * unitStep);
                var i = Avx.LoadVector256(zj);
                var f = Avx.LoadVector256(zj + 8);
                var g = Fma.MultiplySubtract(Avx.LoadVector256(zj + 16), Vector256.Create(2f), Vector256<float>.One); // 2σ(2z) − 1 = tanh z
                Avx.Store(c + at, Fma.MultiplyAdd(f, Avx.LoadVector256(cPrev + at), Avx.Multiply(i, g)));
                if (gates != null)
                {
                    var gateRow = gates + at + ((nint)(row + (j * rowStep)) * 3 * hidden);
                    Avx.Store(gateRow, i);
                    Avx.Store(gateRow + hidden, f);
                    Avx.Store(gateRow + (2 * hidden), g);
                    Avx.Store(gateRow + (3 * hidden), Avx.LoadVector256(zj + 24));
                }
            }

            for (var j = 0; j < count; j++)
            {
                var at = ((nint)(row + (j * rowStep)) * hidden) + unit + (j * unitStep);
                var tc = FastActivations.Tanh(Avx.LoadVector256(c + at));
                Avx.Store(h + at, Avx.Multiply(Avx.LoadVector256(z + (j * Width) + 24), tc));
                if (tanhC != null)
                {
                    Avx.Store(tanhC + at, tc);
                }
            }
        }
    }
}
