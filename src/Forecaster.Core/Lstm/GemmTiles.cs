using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Register-blocked AVX2/FMA micro-kernels of <see cref="Gemm"/>: each computes one tile
/// C = Init + A·B over k, keeping the tile in registers. Callers check <see cref="Fma.IsSupported"/>.
/// </summary>
/// <remarks>
/// Legend: a points at A[row 0, p 0] (rows sam apart, p sak apart), b at B[0, col 0] (rows ldb apart),
/// init/c at the tile's first element (rows ldi/ldc apart). Zen 3 and Haswell have two FMA ports with a
/// 4-cycle latency, so a tile needs at least 8 independent accumulators to run at peak.
/// </remarks>
internal static unsafe class GemmTiles
{
    private static ReadOnlySpan<int> MaskSource => [-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>6 rows × 16 columns: 12 accumulators (slack over the 8 the FMA latency needs), 2 loads of B and 6 broadcasts of A per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        var i3 = init + (3 * ldi);
        var c00 = Avx.LoadVector256(init);
        var c01 = Avx.LoadVector256(init + 8);
        var c10 = Avx.LoadVector256(init + ldi);
        var c11 = Avx.LoadVector256(init + ldi + 8);
        var c20 = Avx.LoadVector256(init + (2 * ldi));
        var c21 = Avx.LoadVector256(init + (2 * ldi) + 8);
        var c30 = Avx.LoadVector256(i3);
        var c31 = Avx.LoadVector256(i3 + 8);
        var c40 = Avx.LoadVector256(i3 + ldi);
        var c41 = Avx.LoadVector256(i3 + ldi + 8);
        var c50 = Avx.LoadVector256(i3 + (2 * ldi));
        var c51 = Avx.LoadVector256(i3 + (2 * ldi) + 8);
        float* a0 = a, a3 = a + (3 * sam);
        var sam2 = 2 * sam;
        for (var p = 0; p < k; p++, a0 += sak, a3 += sak, b += ldb)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var x = Avx.BroadcastScalarToVector256(a0);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a0 + sam);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a0 + sam2);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a3);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a3 + sam);
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a3 + sam2);
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
        }

        var c3 = c + (3 * ldc);
        Avx.Store(c, c00);
        Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10);
        Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + (2 * ldc), c20);
        Avx.Store(c + (2 * ldc) + 8, c21);
        Avx.Store(c3, c30);
        Avx.Store(c3 + 8, c31);
        Avx.Store(c3 + ldc, c40);
        Avx.Store(c3 + ldc + 8, c41);
        Avx.Store(c3 + (2 * ldc), c50);
        Avx.Store(c3 + (2 * ldc) + 8, c51);
    }

    /// <summary>4 rows × 16 columns: 8 accumulators, 2 loads of B and 4 broadcasts of A per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x16(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        var c00 = Avx.LoadVector256(init);
        var c01 = Avx.LoadVector256(init + 8);
        var c10 = Avx.LoadVector256(init + ldi);
        var c11 = Avx.LoadVector256(init + ldi + 8);
        var c20 = Avx.LoadVector256(init + (2 * ldi));
        var c21 = Avx.LoadVector256(init + (2 * ldi) + 8);
        var c30 = Avx.LoadVector256(init + (3 * ldi));
        var c31 = Avx.LoadVector256(init + (3 * ldi) + 8);
        float* a0 = a, a1 = a + sam, a2 = a + (2 * sam), a3 = a + (3 * sam);
        nint pa = 0;
        for (var p = 0; p < k; p++, pa += sak, b += ldb)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var x = Avx.BroadcastScalarToVector256(a0 + pa);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a1 + pa);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a2 + pa);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a3 + pa);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
        }

        Avx.Store(c, c00);
        Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10);
        Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + (2 * ldc), c20);
        Avx.Store(c + (2 * ldc) + 8, c21);
        Avx.Store(c + (3 * ldc), c30);
        Avx.Store(c + (3 * ldc) + 8, c31);
    }

    /// <summary>4 rows × up to 8 columns (masked when <paramref name="columns"/> &lt; 8): column tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x8(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc, int columns)
    {
        var mask = Mask(columns);
        var c0 = Avx.MaskLoad(init, mask);
        var c1 = Avx.MaskLoad(init + ldi, mask);
        var c2 = Avx.MaskLoad(init + (2 * ldi), mask);
        var c3 = Avx.MaskLoad(init + (3 * ldi), mask);
        float* a0 = a, a1 = a + sam, a2 = a + (2 * sam), a3 = a + (3 * sam);
        nint pa = 0;
        for (var p = 0; p < k; p++, pa += sak, b += ldb)
        {
            var b0 = Avx.MaskLoad(b, mask);
            c0 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a0 + pa), b0, c0);
            c1 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a1 + pa), b0, c1);
            c2 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a2 + pa), b0, c2);
            c3 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a3 + pa), b0, c3);
        }

        Avx.MaskStore(c, mask, c0);
        Avx.MaskStore(c + ldc, mask, c1);
        Avx.MaskStore(c + (2 * ldc), mask, c2);
        Avx.MaskStore(c + (3 * ldc), mask, c3);
    }

    /// <summary>1 row × 32 columns, k split into even and odd steps: 8 accumulators for a lone row (batch 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x32(int k, float* a, nint sak, float* b, nint ldb, float* init, float* c)
    {
        var s0 = Avx.LoadVector256(init);
        var s1 = Avx.LoadVector256(init + 8);
        var s2 = Avx.LoadVector256(init + 16);
        var s3 = Avx.LoadVector256(init + 24);
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default;
        var p = 0;
        for (; p + 2 <= k; p += 2, a += 2 * sak, b += 2 * ldb)
        {
            var x = Avx.BroadcastScalarToVector256(a);
            var y = Avx.BroadcastScalarToVector256(a + sak);
            var b2 = b + ldb;
            s0 = Fma.MultiplyAdd(x, Avx.LoadVector256(b), s0);
            s1 = Fma.MultiplyAdd(x, Avx.LoadVector256(b + 8), s1);
            s2 = Fma.MultiplyAdd(x, Avx.LoadVector256(b + 16), s2);
            s3 = Fma.MultiplyAdd(x, Avx.LoadVector256(b + 24), s3);
            t0 = Fma.MultiplyAdd(y, Avx.LoadVector256(b2), t0);
            t1 = Fma.MultiplyAdd(y, Avx.LoadVector256(b2 + 8), t1);
            t2 = Fma.MultiplyAdd(y, Avx.LoadVector256(b2 + 16), t2);
            t3 = Fma.MultiplyAdd(y, Avx.LoadVector256(b2 + 24), t3);
        }

        if (p < k)
        {
            var x = Avx.BroadcastScalarToVector256(a);
            s0 = Fma.MultiplyAdd(x, Avx.LoadVector256(b), s0);
            s1 = Fma.MultiplyAdd(x, Avx.LoadVector256(b + 8), s1);
            s2 = Fma.MultiplyAdd(x, Avx.LoadVector256(b + 16), s2);
            s3 = Fma.MultiplyAdd(x, Avx.LoadVector256(b + 24), s3);
        }

        Avx.Store(c, Avx.Add(s0, t0));
        Avx.Store(c + 8, Avx.Add(s1, t1));
        Avx.Store(c + 16, Avx.Add(s2, t2));
        Avx.Store(c + 24, Avx.Add(s3, t3));
    }

    /// <summary>1 row × up to 8 columns (masked), k split in two chains: row and column tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x8(int k, float* a, nint sak, float* b, nint ldb, float* init, float* c, int columns)
    {
        var mask = Mask(columns);
        var s = Avx.MaskLoad(init, mask);
        Vector256<float> t = default;
        var p = 0;
        for (; p + 2 <= k; p += 2, a += 2 * sak, b += 2 * ldb)
        {
            s = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a), Avx.MaskLoad(b, mask), s);
            t = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a + sak), Avx.MaskLoad(b + ldb, mask), t);
        }

        if (p < k)
        {
            s = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(a), Avx.MaskLoad(b, mask), s);
        }

        Avx.MaskStore(c, mask, Avx.Add(s, t));
    }

    private static Vector256<float> Mask(int columns)
    {
        fixed (int* source = MaskSource)
        {
            return Avx.LoadVector256(source + 8 - columns).AsSingle();
        }
    }
}
