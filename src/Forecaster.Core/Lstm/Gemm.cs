namespace Forecaster.Core.Lstm;

/// <summary>
/// Single-precision matrix product C = Init + A·B for the LSTM kernels (TensorPrimitives has no GEMM).
/// </summary>
/// <remarks>
/// Element addressing (all row-major with explicit strides, so transposed operands need no copy):
/// <code>
/// A[i,p]    = a[i*aRowStride + p*aColStride]    i &lt; m, p &lt; k   (aColStride = 1: A; aRowStride = 1: Aᵀ stored [k, m])
/// B[p,j]    = b[p*ldb + j]                      p &lt; k, j &lt; n
/// Init[i,j] = init[i*ldInit + j]                ldInit = 0 broadcasts a bias row; init = c, ldInit = ldc accumulates
/// C[i,j]    = c[i*ldc + j]
/// </code>
/// M and K are processed in blocks of <see cref="MBlock"/> and <see cref="KBlock"/> so a block's panels stay in L2.
/// Rows go in tiles of 6 (then 4, then 1), columns in tiles of 16 (then masked 8).
/// The kernel path (<see cref="KernelDispatch.Selected"/> unless given) picks the micro-kernels: AVX-512
/// (<see cref="Gemm512"/>, 32-column tiles), AVX2/FMA (<see cref="GemmTiles"/>) or plain loops.
/// </remarks>
internal static unsafe class Gemm
{
    private const int KBlock = 256;

    /// <summary>Rows per block (a multiple of the 6-row tile): 192 rows × 72 floats of A ≈ 55 KB stay in L2.</summary>
    private const int MBlock = 192;

    /// <summary>C = Init + A·B (see the type remarks for the addressing) on <paramref name="path"/> (null: <see cref="KernelDispatch.Selected"/>).</summary>
    /// <exception cref="ArgumentException">A span is too short for the given sizes and strides, or the path is not supported here.</exception>
    public static void Run(
        int m, int n, int k, ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> init, int ldInit, Span<float> c, int ldc, KernelPath? path = null)
    {
        var kernels = path is { } chosen ? KernelDispatch.Require(chosen) : KernelDispatch.Selected;
        if (m <= 0 || n <= 0)
        {
            return;
        }

        Require(c.Length, ((long)(m - 1) * ldc) + n, nameof(c));
        Require(init.Length, ((long)(m - 1) * ldInit) + n, nameof(init));
        if (k > 0)
        {
            Require(a.Length, ((long)(m - 1) * aRowStride) + ((long)(k - 1) * aColStride) + 1, nameof(a));
            Require(b.Length, ((long)(k - 1) * ldb) + n, nameof(b));
        }

        fixed (float* pa = a, pb = b, pInit = init, pc = c)
        {
            if (k == 0)
            {
                Block(kernels, m, n, 0, pa, aRowStride, aColStride, pb, ldb, pInit, ldInit, pc, ldc);
                return;
            }

            for (var i0 = 0; i0 < m; i0 += MBlock)
            {
                var mc = Math.Min(MBlock, m - i0);
                float* a0 = pa + ((nint)i0 * aRowStride), init0 = pInit + ((nint)i0 * ldInit), c0 = pc + ((nint)i0 * ldc);
                for (var p0 = 0; p0 < k; p0 += KBlock)
                {
                    var kc = Math.Min(KBlock, k - p0);
                    var first = p0 == 0;
                    Block(
                        kernels, mc, n, kc, a0 + ((nint)p0 * aColStride), aRowStride, aColStride, pb + ((nint)p0 * ldb), ldb,
                        first ? init0 : c0, first ? ldInit : ldc, c0, ldc);
                }
            }
        }
    }

    private static void Block(KernelPath path, int m, int n, int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        switch (path)
        {
            case KernelPath.Avx512:
                Gemm512.Block(m, n, k, a, sam, sak, b, ldb, init, ldi, c, ldc);
                break;
            case KernelPath.Avx2:
                Avx2Block(m, n, k, a, sam, sak, b, ldb, init, ldi, c, ldc);
                break;
            default:
                Portable(m, n, k, a, sam, sak, b, ldb, init, ldi, c, ldc);
                break;
        }
    }

    /// <summary>The AVX2/FMA block (also the AVX-512 block's column tail).</summary>
    internal static void Avx2Block(int m, int n, int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        // 6-row strips, column tile outermost: a 16-column panel of B (k × 64 bytes) stays in L1 while every
        // strip of A passes it, which re-reads less than sweeping all of B once per 6-row strip.
        var strips = m - (m % 6);
        var j = 0;
        for (; j + 16 <= n; j += 16)
        {
            for (var i6 = 0; i6 < strips; i6 += 6)
            {
                GemmTiles.Tile6x16(k, a + (i6 * sam), sam, sak, b + j, ldb, init + (i6 * ldi) + j, ldi, c + (i6 * ldc) + j, ldc);
            }
        }

        for (; j < n; j += 8)
        {
            var columns = Math.Min(8, n - j);
            for (var i6 = 0; i6 < strips; i6 += 6)
            {
                GemmTiles.Tile4x8(k, a + (i6 * sam), sam, sak, b + j, ldb, init + (i6 * ldi) + j, ldi, c + (i6 * ldc) + j, ldc, columns);
                for (var r = i6 + 4; r < i6 + 6; r++)
                {
                    GemmTiles.Tile1x8(k, a + (r * sam), sak, b + j, ldb, init + (r * ldi) + j, c + (r * ldc) + j, columns);
                }
            }
        }

        var i = strips;
        for (; i + 4 <= m; i += 4)
        {
            j = 0;
            for (; j + 16 <= n; j += 16)
            {
                GemmTiles.Tile4x16(k, a + (i * sam), sam, sak, b + j, ldb, init + (i * ldi) + j, ldi, c + (i * ldc) + j, ldc);
            }

            for (; j < n; j += 8)
            {
                GemmTiles.Tile4x8(k, a + (i * sam), sam, sak, b + j, ldb, init + (i * ldi) + j, ldi, c + (i * ldc) + j, ldc, Math.Min(8, n - j));
            }
        }

        for (; i < m; i++)
        {
            j = 0;
            for (; j + 32 <= n; j += 32)
            {
                GemmTiles.Tile1x32(k, a + (i * sam), sak, b + j, ldb, init + (i * ldi) + j, c + (i * ldc) + j);
            }

            for (; j < n; j += 8)
            {
                GemmTiles.Tile1x8(k, a + (i * sam), sak, b + j, ldb, init + (i * ldi) + j, c + (i * ldc) + j, Math.Min(8, n - j));
            }
        }
    }

    private static void Portable(int m, int n, int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = init[(i * ldi) + j];
                for (var p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[(i * sam) + (p * sak)], b[(p * ldb) + j], sum);
                }

                c[(i * ldc) + j] = sum;
            }
        }
    }

    private static void Require(int length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"Span is too short: {length} < {needed} elements needed.", name);
        }
    }
}
