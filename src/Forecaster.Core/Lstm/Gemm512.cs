namespace Forecaster.Core.Lstm;

/// <summary>
/// The AVX-512 block of <see cref="Gemm"/>: the columns in groups of 32 on <see cref="GemmTiles512"/> (6-row
/// strips with the 32-column panel of B outermost so it stays in L1, then 4-row tiles, then lone rows); the
/// remaining fewer than 32 columns of the 6-row strips in masked 16-column tiles, those of the other rows on
/// the AVX2 block. Exactly 36 columns (the head) go in 8-row tiles of <see cref="GemmTiles512Tail4"/> first.
/// Arguments as in <see cref="Gemm"/>'s block.
/// </summary>
internal static unsafe class Gemm512
{
    public static void Block(int m, int n, int k, float* a, nint sam, nint sak, float* b, nint ldb, float* init, nint ldi, float* c, nint ldc)
    {
        if (n == 36 && m >= 8)
        {
            var eights = m & ~7;
            for (var i8 = 0; i8 < eights; i8 += 8)
            {
                GemmTiles512Tail4.Tile8x36(k, a + (i8 * sam), sam, sak, b, ldb, init + (i8 * ldi), ldi, c + (i8 * ldc), ldc);
            }

            if (eights < m)
            {
                Block(m - eights, n, k, a + (eights * sam), sam, sak, b, ldb, init + (eights * ldi), ldi, c + (eights * ldc), ldc);
            }

            return;
        }

        var wide = n & ~31;
        var strips = m - (m % 6);
        for (var j = 0; j < wide; j += 32)
        {
            for (var i6 = 0; i6 < strips; i6 += 6)
            {
                GemmTiles512.Tile6x32(k, a + (i6 * sam), sam, sak, b + j, ldb, init + (i6 * ldi) + j, ldi, c + (i6 * ldc) + j, ldc);
            }
        }

        for (var j = wide; j < n; j += 16)
        {
            var columns = Math.Min(16, n - j);
            for (var i6 = 0; i6 < strips; i6 += 6)
            {
                GemmTiles512.Tile6x16(k, a + (i6 * sam), sam, sak, b + j, ldb, init + (i6 * ldi) + j, ldi, c + (i6 * ldc) + j, ldc, columns);
            }
        }

        var i = strips;
        for (; i + 4 <= m; i += 4)
        {
            for (var j = 0; j < wide; j += 32)
            {
                GemmTiles512.Tile4x32(k, a + (i * sam), sam, sak, b + j, ldb, init + (i * ldi) + j, ldi, c + (i * ldc) + j, ldc);
            }
        }

        for (; i < m; i++)
        {
            for (var j = 0; j < wide; j += 32)
            {
                GemmTiles512.Tile1x32(k, a + (i * sam), sak, b + j, ldb, init + (i * ldi) + j, c + (i * ldc) + j);
            }
        }

        if (wide < n && strips < m)
        {
            Gemm.Avx2Block(m - strips, n - wide, k, a + (strips * sam), sam, sak, b + wide, ldb, init + (strips * ldi) + wide, ldi, c + (strips * ldc) + wide, ldc);
        }
    }
}
