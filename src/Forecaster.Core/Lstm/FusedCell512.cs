using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// AVX-512 forward of the fused LSTM cell on the same gate panels as <see cref="FusedCell"/>: a block's 32
/// weights per input p are two 512-bit vectors, [i | f] and [g | o] of its 8 units, so one FMA per vector and
/// row does the work of two AVX2 ones. Rows go in tiles of 4 over two blocks at once (16 accumulators, 4
/// loads and 4 broadcasts per 16 FMAs, an 18 KB pair of panels that stays in L1 across the tiles), each tile
/// finished in registers as soon as its sums are done (activations, c, tanh(c), h: nothing goes through a
/// scratch buffer); left-over rows go one at a time over four blocks (8 accumulators), and an odd last block
/// in 4-row tiles, both finished from an L1 scratch as in the AVX2 kernel. Sigmoids and tanh run 16 lanes wide
/// (<see cref="FastActivations512"/>).
/// </summary>
/// <remarks>
/// Every pre-activation is bias + Σ_p xh[p]·W[p] summed in p order in every kernel here, so a row's result does
/// not depend on its position in the batch or the batch size (it differs from the AVX2 path's in the last bits:
/// the reciprocals are refined from another estimate).
/// </remarks>
[SkipLocalsInit] // z is scratch written before it is read
internal static unsafe partial class FusedCell512
{
    private const int Width = 4 * FusedCell.Units;

    /// <summary>Rows of 4-row tiles finished together (a multiple of 4); z holds them for two blocks.</summary>
    private const int ChunkRows = 16;

    /// <summary>Blocks of one lone row finished together (a multiple of 4).</summary>
    private const int ChunkBlocks = 16;

    /// <summary>One step for B rows: the contract of <see cref="FusedCell.Forward"/>, buffers already checked.</summary>
    public static void Forward(
        PackedWeights weights, int batch, ReadOnlySpan<float> xh, ReadOnlySpan<float> cPrev,
        Span<float> gates, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int hidden = weights.Shape.HiddenSize, concat = weights.ConcatSize, blocks = hidden / FusedCell.Units;
        fixed (float* px = xh, pcp = cPrev, pg = gates, pc = c, pt = tanhC, ph = h, panel = weights.GatePanel, bias = weights.PanelBias)
        {
            var z = stackalloc float[2 * ChunkRows * Width];
            var state = new State(pcp, pc, ph, pg, pt, hidden);
            var tiled = batch & ~3;
            nint panelStride = (nint)concat * Width;
            for (var block = 0; block < blocks; block += 2)
            {
                var pair = block + 1 < blocks;
                var w = panel + (block * panelStride);
                if (pair)
                {
                    for (var r = 0; r < tiled; r += 4)
                    {
                        Rows4Blocks2(concat, px + ((nint)r * concat), concat, w, panelStride, bias + (block * Width), state, r, block * FusedCell.Units);
                    }

                    continue;
                }

                for (var r0 = 0; r0 < tiled; r0 += ChunkRows)
                {
                    var rows = Math.Min(ChunkRows, tiled - r0);
                    for (var r = 0; r < rows; r += 4)
                    {
                        Rows4Block1(concat, px + ((nint)(r0 + r) * concat), concat, w, bias + (block * Width), z + (r * Width));
                    }

                    state.Finish(z, rows, r0, 1, block * FusedCell.Units, 0);
                }
            }

            for (var r = tiled; r < batch; r++)
            {
                var x = px + ((nint)r * concat);
                for (var first = 0; first < blocks; first += ChunkBlocks)
                {
                    var count = Math.Min(ChunkBlocks, blocks - first);
                    var offset = 0;
                    for (; offset + 4 <= count; offset += 4)
                    {
                        var block = first + offset;
                        Row1Blocks4(concat, x, panel + (block * panelStride), panelStride, bias + (block * Width), z + (offset * Width));
                    }

                    for (; offset < count; offset++)
                    {
                        var block = first + offset;
                        Row1Block1(concat, x, panel + (block * panelStride), bias + (block * Width), z + (offset * Width));
                    }

                    state.Finish(z, count, r, 0, first * FusedCell.Units, FusedCell.Units);
                }
            }
        }
    }

    /// <summary>
    /// 4 rows × 2 blocks: 16 accumulators, finished in registers right after the sum (<see cref="State.FinishPair"/>):
    /// rows <paramref name="row"/> .. +3, units <paramref name="unit"/> .. +15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4Blocks2(int k, float* x, nint ldx, float* w, nint panelStride, float* bias, State state, int row, int unit)
    {
        var bu = Avx512F.LoadVector512(bias);
        var bv = Avx512F.LoadVector512(bias + 16);
        var cu = Avx512F.LoadVector512(bias + Width);
        var cv = Avx512F.LoadVector512(bias + Width + 16);
        Vector512<float> u0 = bu, u1 = bu, u2 = bu, u3 = bu, v0 = bv, v1 = bv, v2 = bv, v3 = bv;
        Vector512<float> s0 = cu, s1 = cu, s2 = cu, s3 = cu, t0 = cv, t1 = cv, t2 = cv, t3 = cv;
        float* x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx), w1 = w + panelStride;
        for (nint p = 0; p < k; p++, w += Width, w1 += Width)
        {
            var wu = Avx512F.LoadVector512(w);
            var wv = Avx512F.LoadVector512(w + 16);
            var wu1 = Avx512F.LoadVector512(w1);
            var wv1 = Avx512F.LoadVector512(w1 + 16);
            var a = Vector512.Create(x[p]);
            u0 = Avx512F.FusedMultiplyAdd(a, wu, u0);
            v0 = Avx512F.FusedMultiplyAdd(a, wv, v0);
            s0 = Avx512F.FusedMultiplyAdd(a, wu1, s0);
            t0 = Avx512F.FusedMultiplyAdd(a, wv1, t0);
            a = Vector512.Create(x1[p]);
            u1 = Avx512F.FusedMultiplyAdd(a, wu, u1);
            v1 = Avx512F.FusedMultiplyAdd(a, wv, v1);
            s1 = Avx512F.FusedMultiplyAdd(a, wu1, s1);
            t1 = Avx512F.FusedMultiplyAdd(a, wv1, t1);
            a = Vector512.Create(x2[p]);
            u2 = Avx512F.FusedMultiplyAdd(a, wu, u2);
            v2 = Avx512F.FusedMultiplyAdd(a, wv, v2);
            s2 = Avx512F.FusedMultiplyAdd(a, wu1, s2);
            t2 = Avx512F.FusedMultiplyAdd(a, wv1, t2);
            a = Vector512.Create(x3[p]);
            u3 = Avx512F.FusedMultiplyAdd(a, wu, u3);
            v3 = Avx512F.FusedMultiplyAdd(a, wv, v3);
            s3 = Avx512F.FusedMultiplyAdd(a, wu1, s3);
            t3 = Avx512F.FusedMultiplyAdd(a, wv1, t3);
        }

        state.FinishPair(row, unit, u0, v0, s0, t0);
        state.FinishPair(row + 1, unit, u1, v1, s1, t1);
        state.FinishPair(row + 2, unit, u2, v2, s2, t2);
        state.FinishPair(row + 3, unit, u3, v3, s3, t3);
    }

    /// <summary>4 rows × the last block when the block count is odd: 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4Block1(int k, float* x, nint ldx, float* w, float* bias, float* z)
    {
        var bu = Avx512F.LoadVector512(bias);
        var bv = Avx512F.LoadVector512(bias + 16);
        Vector512<float> u0 = bu, u1 = bu, u2 = bu, u3 = bu, v0 = bv, v1 = bv, v2 = bv, v3 = bv;
        float* x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        for (nint p = 0; p < k; p++, w += Width)
        {
            var wu = Avx512F.LoadVector512(w);
            var wv = Avx512F.LoadVector512(w + 16);
            var a = Vector512.Create(x[p]);
            u0 = Avx512F.FusedMultiplyAdd(a, wu, u0);
            v0 = Avx512F.FusedMultiplyAdd(a, wv, v0);
            a = Vector512.Create(x1[p]);
            u1 = Avx512F.FusedMultiplyAdd(a, wu, u1);
            v1 = Avx512F.FusedMultiplyAdd(a, wv, v1);
            a = Vector512.Create(x2[p]);
            u2 = Avx512F.FusedMultiplyAdd(a, wu, u2);
            v2 = Avx512F.FusedMultiplyAdd(a, wv, v2);
            a = Vector512.Create(x3[p]);
            u3 = Avx512F.FusedMultiplyAdd(a, wu, u3);
            v3 = Avx512F.FusedMultiplyAdd(a, wv, v3);
        }

        Store(z, u0, v0);
        Store(z + Width, u1, v1);
        Store(z + (2 * Width), u2, v2);
        Store(z + (3 * Width), u3, v3);
    }

    /// <summary>One row × 4 consecutive blocks (panels <paramref name="panelStride"/> apart): 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1Blocks4(int k, float* x, float* w, nint panelStride, float* bias, float* z)
    {
        var u0 = Avx512F.LoadVector512(bias);
        var v0 = Avx512F.LoadVector512(bias + 16);
        var u1 = Avx512F.LoadVector512(bias + Width);
        var v1 = Avx512F.LoadVector512(bias + Width + 16);
        var u2 = Avx512F.LoadVector512(bias + (2 * Width));
        var v2 = Avx512F.LoadVector512(bias + (2 * Width) + 16);
        var u3 = Avx512F.LoadVector512(bias + (3 * Width));
        var v3 = Avx512F.LoadVector512(bias + (3 * Width) + 16);
        float* w1 = w + panelStride, w2 = w + (2 * panelStride), w3 = w + (3 * panelStride);
        for (nint p = 0; p < k; p++, w += Width, w1 += Width, w2 += Width, w3 += Width)
        {
            var a = Vector512.Create(x[p]);
            u0 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w), u0);
            v0 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w + 16), v0);
            u1 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w1), u1);
            v1 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w1 + 16), v1);
            u2 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w2), u2);
            v2 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w2 + 16), v2);
            u3 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w3), u3);
            v3 = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w3 + 16), v3);
        }

        Store(z, u0, v0);
        Store(z + Width, u1, v1);
        Store(z + (2 * Width), u2, v2);
        Store(z + (3 * Width), u3, v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1Block1(int k, float* x, float* w, float* bias, float* z)
    {
        var u = Avx512F.LoadVector512(bias);
        var v = Avx512F.LoadVector512(bias + 16);
        for (nint p = 0; p < k; p++, w += Width)
        {
            var a = Vector512.Create(x[p]);
            u = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w), u);
            v = Avx512F.FusedMultiplyAdd(a, Avx512F.LoadVector512(w + 16), v);
        }

        Store(z, u, v);
    }

    /// <summary>Stores a group's gates activated: sigmoid of [i | f] and of [g | o] (g pre-scaled, see <see cref="State.Finish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* z, Vector512<float> u, Vector512<float> v)
    {
        Avx512F.Store(z, FastActivations512.Sigmoid(u));
        Avx512F.Store(z + 16, FastActivations512.Sigmoid(v));
    }
}
