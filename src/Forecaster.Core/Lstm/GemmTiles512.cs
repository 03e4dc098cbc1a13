using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Register-blocked AVX-512 micro-kernels of <see cref="Gemm"/> for tiles 32 columns wide (two 512-bit
/// vectors), and masked tiles 16 wide for the column tails of 6-row strips; other tails go to
/// <see cref="GemmTiles"/>. Legend as there.
/// </summary>
/// <remarks>
/// Zen 4/5 and Sapphire Rapids retire two 512-bit FMAs per cycle with a 4-cycle latency, so a tile needs at
/// least 8 independent accumulators; AVX-512 has 32 vector registers, room for 12 accumulators, two B
/// vectors and the broadcasts.
/// </remarks>
internal static unsafe class GemmTiles512
{
    private static ReadOnlySpan<int> MaskSource => [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>6 rows × 32 columns: 12 accumulators, 2 loads of B and 6 broadcasts of A per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x32(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        var i3 = init + (3 * ldi);
        var c00 = Avx512F.LoadVector512(init);
        var c01 = Avx512F.LoadVector512(init + 16);
        var c10 = Avx512F.LoadVector512(init + ldi);
        var c11 = Avx512F.LoadVector512(init + ldi + 16);
        var c20 = Avx512F.LoadVector512(init + (2 * ldi));
        var c21 = Avx512F.LoadVector512(init + (2 * ldi) + 16);
        var c30 = Avx512F.LoadVector512(i3);
        var c31 = Avx512F.LoadVector512(i3 + 16);
        var c40 = Avx512F.LoadVector512(i3 + ldi);
        var c41 = Avx512F.LoadVector512(i3 + ldi + 16);
        var c50 = Avx512F.LoadVector512(i3 + (2 * ldi));
        var c51 = Avx512F.LoadVector512(i3 + (2 * ldi) + 16);
        float* a0 = a, a3 = a + (3 * sam);
        var sam2 = 2 * sam;
        for (var p = 0; p < k; p++, a0 += sak, a3 += sak, b += ldb)
        {
            var b0 = Avx512F.LoadVector512(b);
            var b1 = Avx512F.LoadVector512(b + 16);
            var x = Vector512.Create(*a0);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a0[sam]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a0[sam2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(*a3);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a3[sam]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a3[sam2]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
        }

        var c3 = c + (3 * ldc);
        Avx512F.Store(c, c00);
        Avx512F.Store(c + 16, c01);
        Avx512F.Store(c + ldc, c10);
        Avx512F.Store(c + ldc + 16, c11);
        Avx512F.Store(c + (2 * ldc), c20);
        Avx512F.Store(c + (2 * ldc) + 16, c21);
        Avx512F.Store(c3, c30);
        Avx512F.Store(c3 + 16, c31);
        Avx512F.Store(c3 + ldc, c40);
        Avx512F.Store(c3 + ldc + 16, c41);
        Avx512F.Store(c3 + (2 * ldc), c50);
        Avx512F.Store(c3 + (2 * ldc) + 16, c51);
    }

    /// <summary>4 rows × 32 columns: 8 accumulators, 2 loads of B and 4 broadcasts of A per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x32(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        var c00 = Avx512F.LoadVector512(init);
        var c01 = Avx512F.LoadVector512(init + 16);
        var c10 = Avx512F.LoadVector512(init + ldi);
        var c11 = Avx512F.LoadVector512(init + ldi + 16);
        var c20 = Avx512F.LoadVector512(init + (2 * ldi));
        var c21 = Avx512F.LoadVector512(init + (2 * ldi) + 16);
        var c30 = Avx512F.LoadVector512(init + (3 * ldi));
        var c31 = Avx512F.LoadVector512(init + (3 * ldi) + 16);
        float* a0 = a, a1 = a + sam, a2 = a + (2 * sam), a3 = a + (3 * sam);
        nint pa = 0;
        for (var p = 0; p < k; p++, pa += sak, b += ldb)
        {
            var b0 = Avx512F.LoadVector512(b);
            var b1 = Avx512F.LoadVector512(b + 16);
            var x = Vector512.Create(a0[pa]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[pa]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[pa]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[pa]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
        }

        Avx512F.Store(c, c00);
        Avx512F.Store(c + 16, c01);
        Avx512F.Store(c + ldc, c10);
        Avx512F.Store(c + ldc + 16, c11);
        Avx512F.Store(c + (2 * ldc), c20);
        Avx512F.Store(c + (2 * ldc) + 16, c21);
        Avx512F.Store(c + (3 * ldc), c30);
        Avx512F.Store(c + (3 * ldc) + 16, c31);
    }

    /// <summary>6 rows × up to 16 columns (masked): the column tail of 6-row strips, 6 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc, int columns)
    {
        var mask = Mask(columns);
        var zero = Vector512<float>.Zero;
        var i3 = init + (3 * ldi);
        var c0 = Avx512F.MaskLoad(init, mask, zero);
        var c1 = Avx512F.MaskLoad(init + ldi, mask, zero);
        var c2 = Avx512F.MaskLoad(init + (2 * ldi), mask, zero);
        var c3 = Avx512F.MaskLoad(i3, mask, zero);
        var c4 = Avx512F.MaskLoad(i3 + ldi, mask, zero);
        var c5 = Avx512F.MaskLoad(i3 + (2 * ldi), mask, zero);
        float* a0 = a, a3 = a + (3 * sam);
        var sam2 = 2 * sam;
        for (var p = 0; p < k; p++, a0 += sak, a3 += sak, b += ldb)
        {
            var b0 = Avx512F.MaskLoad(b, mask, zero);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(*a0), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[sam]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[sam2]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(*a3), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[sam]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[sam2]), b0, c5);
        }

        var o3 = c + (3 * ldc);
        Avx512F.MaskStore(c, mask, c0);
        Avx512F.MaskStore(c + ldc, mask, c1);
        Avx512F.MaskStore(c + (2 * ldc), mask, c2);
        Avx512F.MaskStore(o3, mask, c3);
        Avx512F.MaskStore(o3 + ldc, mask, c4);
        Avx512F.MaskStore(o3 + (2 * ldc), mask, c5);
    }

    /// <summary>1 row × 32 columns, k split into four interleaved chains: 8 accumulators for a lone row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x32(int k, float* a, nint sak, float* b, nint ldb, float* init, float* c)
    {
        var s0 = Avx512F.LoadVector512(init);
        var s1 = Avx512F.LoadVector512(init + 16);
        Vector512<float> t0 = default, t1 = default, u0 = default, u1 = default, v0 = default, v1 = default;
        var p = 0;
        for (; p + 4 <= k; p += 4, a += 4 * sak, b += 4 * ldb)
        {
            var x = Vector512.Create(*a);
            s0 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b), s0);
            s1 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + 16), s1);
            x = Vector512.Create(a[sak]);
            t0 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + ldb), t0);
            t1 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + ldb + 16), t1);
            x = Vector512.Create(a[2 * sak]);
            u0 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + (2 * ldb)), u0);
            u1 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + (2 * ldb) + 16), u1);
            x = Vector512.Create(a[3 * sak]);
            v0 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + (3 * ldb)), v0);
            v1 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + (3 * ldb) + 16), v1);
        }

        for (; p < k; p++, a += sak, b += ldb)
        {
            var x = Vector512.Create(*a);
            s0 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b), s0);
            s1 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b + 16), s1);
        }

        Avx512F.Store(c, Avx512F.Add(Avx512F.Add(s0, t0), Avx512F.Add(u0, v0)));
        Avx512F.Store(c + 16, Avx512F.Add(Avx512F.Add(s1, t1), Avx512F.Add(u1, v1)));
    }

    /// <summary>The first <paramref name="columns"/> (1..16) lanes set; masked loads do not touch memory past them.</summary>
    private static Vector512<float> Mask(int columns)
    {
        fixed (int* source = MaskSource)
        {
            return Avx512F.LoadVector512(source + 16 - columns).AsSingle();
        }
    }
}
