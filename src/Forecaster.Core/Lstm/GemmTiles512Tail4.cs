using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// The AVX-512 tile of <see cref="Gemm512"/> for products exactly 36 columns wide (the quantile head: 12 horizons ×
/// 3 quantiles): 8 rows × (32 + 4) columns. The 4-column tails of four rows share one vector, [row 0 | row 1 |
/// row 2 | row 3] by 128-bit lane, fed by the 4 tail weights broadcast to every lane and the rows' A values merged
/// by lane, so the tails take 2 FMAs per k for 8 rows instead of 8 masked ones (36 of every 40 lanes used
/// instead of 36 of 48). Legend as in <see cref="GemmTiles512"/>; every output is init + Σ_p in p order, as in
/// the other tiles.
/// </summary>
internal static unsafe class GemmTiles512Tail4
{
    /// <summary>8 rows × 36 columns: 16 + 2 accumulators, 3 loads of B and 8 broadcasts of A per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x36(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        var c00 = Avx512F.LoadVector512(init);
        var c01 = Avx512F.LoadVector512(init + 16);
        var c10 = Avx512F.LoadVector512(init + ldi);
        var c11 = Avx512F.LoadVector512(init + ldi + 16);
        var c20 = Avx512F.LoadVector512(init + (2 * ldi));
        var c21 = Avx512F.LoadVector512(init + (2 * ldi) + 16);
        var c30 = Avx512F.LoadVector512(init + (3 * ldi));
        var c31 = Avx512F.LoadVector512(init + (3 * ldi) + 16);
        var c40 = Avx512F.LoadVector512(init + (4 * ldi));
        var c41 = Avx512F.LoadVector512(init + (4 * ldi) + 16);
        var c50 = Avx512F.LoadVector512(init + (5 * ldi));
        var c51 = Avx512F.LoadVector512(init + (5 * ldi) + 16);
        var c60 = Avx512F.LoadVector512(init + (6 * ldi));
        var c61 = Avx512F.LoadVector512(init + (6 * ldi) + 16);
        var c70 = Avx512F.LoadVector512(init + (7 * ldi));
        var c71 = Avx512F.LoadVector512(init + (7 * ldi) + 16);
        var t0 = Tails(init + 32, ldi);
        var t1 = Tails(init + 32 + (4 * ldi), ldi);
        var lane1 = Vector512.Create(0, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0).AsSingle();
        var lane2 = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 0).AsSingle();
        var lane3 = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1).AsSingle();
        float* a0 = a, a4 = a + (4 * sam);
        nint sam2 = 2 * sam, sam3 = 3 * sam;
        for (var p = 0; p < k; p++, a0 += sak, a4 += sak, b += ldb)
        {
            var b0 = Avx512F.LoadVector512(b);
            var b1 = Avx512F.LoadVector512(b + 16);
            var bt = Avx512F.BroadcastVector128ToVector512(b + 32);
            var x = Vector512.Create(*a0);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            var y = Vector512.Create(a0[sam]);
            c10 = Avx512F.FusedMultiplyAdd(y, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(y, b1, c11);
            var mix = Vector512.ConditionalSelect(lane1, y, x);
            x = Vector512.Create(a0[sam2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            mix = Vector512.ConditionalSelect(lane2, x, mix);
            x = Vector512.Create(a0[sam3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            t0 = Avx512F.FusedMultiplyAdd(Vector512.ConditionalSelect(lane3, x, mix), bt, t0);
            x = Vector512.Create(*a4);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            y = Vector512.Create(a4[sam]);
            c50 = Avx512F.FusedMultiplyAdd(y, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(y, b1, c51);
            mix = Vector512.ConditionalSelect(lane1, y, x);
            x = Vector512.Create(a4[sam2]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            mix = Vector512.ConditionalSelect(lane2, x, mix);
            x = Vector512.Create(a4[sam3]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            t1 = Avx512F.FusedMultiplyAdd(Vector512.ConditionalSelect(lane3, x, mix), bt, t1);
        }

        Store(c, c00, c01, t0.GetLower().GetLower());
        Store(c + ldc, c10, c11, t0.GetLower().GetUpper());
        Store(c + (2 * ldc), c20, c21, t0.GetUpper().GetLower());
        Store(c + (3 * ldc), c30, c31, t0.GetUpper().GetUpper());
        Store(c + (4 * ldc), c40, c41, t1.GetLower().GetLower());
        Store(c + (5 * ldc), c50, c51, t1.GetLower().GetUpper());
        Store(c + (6 * ldc), c60, c61, t1.GetUpper().GetLower());
        Store(c + (7 * ldc), c70, c71, t1.GetUpper().GetUpper());
    }

    /// <summary>The 4 tail values of 4 rows (ld apart) as one vector, a row per 128-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tails(float* first, nint ld) => Vector512.Create(
        Vector256.Create(Sse.LoadVector128(first), Sse.LoadVector128(first + ld)),
        Vector256.Create(Sse.LoadVector128(first + (2 * ld)), Sse.LoadVector128(first + (3 * ld))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector512<float> low, Vector512<float> high, Vector128<float> tail)
    {
        Avx512F.Store(row, low);
        Avx512F.Store(row + 16, high);
        Sse.Store(row + 32, tail);
    }
}
