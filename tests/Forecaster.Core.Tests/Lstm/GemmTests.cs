using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// Every kernel path this process supports against a double loop: shapes that leave every tile remainder (rows
/// mod 6 and 4, columns mod 32, 16 and 8, k mod 4) and cross the M and K blocks.
/// </summary>
public class GemmTests
{
    public static TheoryData<KernelPath, int, int, int> Cases => KernelPaths.AllCross(
        (1, 1, 1), (3, 5, 7), (4, 16, 8), (5, 20, 9), (9, 37, 13), (1, 64, 72), (2, 40, 3), (7, 23, 600), (10, 40, 5),
        (13, 24, 70), (197, 37, 260), (6, 32, 4), (11, 100, 7), (1, 36, 64), (64, 144, 6), (128, 64, 144), (1, 33, 2),
        (20, 36, 64), (67, 36, 9)); // 36 columns: the head's 8-row tiles with 32 + 4 columns, and their left-over rows

    [Theory]
    [MemberData(nameof(Cases))]
    public void Product_matches_a_double_loop_for_plain_and_transposed_A(KernelPath path, int m, int n, int k)
    {
        var aPlain = SeededData.Floats(1, m * k); // A [m, k]
        var b = SeededData.Floats(2, k * (n + 3)); // ldb = n + 3 exercises a stride
        var init = SeededData.Floats(3, m * n);
        var aTransposed = new float[k * m]; // Aᵀ stored [k, m]
        for (var i = 0; i < m; i++)
        {
            for (var p = 0; p < k; p++)
            {
                aTransposed[(p * m) + i] = aPlain[(i * k) + p];
            }
        }

        var expected = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = init[(i * n) + j];
                for (var p = 0; p < k; p++)
                {
                    sum += (double)aPlain[(i * k) + p] * b[(p * (n + 3)) + j];
                }

                expected[(i * n) + j] = sum;
            }
        }

        var plain = (float[])init.Clone();
        Gemm.Run(m, n, k, aPlain, k, 1, b, n + 3, plain, n, plain, n, path);
        SeededData.AssertClose(expected, plain, 1e-5, Math.Sqrt(k));

        var transposed = new float[m * n];
        Gemm.Run(m, n, k, aTransposed, 1, m, b, n + 3, init, n, transposed, n, path);
        SeededData.AssertClose(expected, transposed, 1e-5, Math.Sqrt(k));
    }

    [Theory]
    [MemberData(nameof(KernelPaths.All), MemberType = typeof(KernelPaths))]
    public void Init_with_zero_stride_broadcasts_a_bias_row_and_columns_past_n_are_untouched(KernelPath path)
    {
        ZeroStrideBias(path, m: 6, n: 43, k: 5, ldc: 45);
        ZeroStrideBias(path, m: 17, n: 36, k: 7, ldc: 39); // the head's tiles
    }

    private static void ZeroStrideBias(KernelPath path, int m, int n, int k, int ldc)
    {
        var a = SeededData.Floats(4, m * k);
        var b = SeededData.Floats(5, k * n);
        var bias = SeededData.Floats(6, n);
        var c = new float[m * ldc];
        Array.Fill(c, 42f);
        Gemm.Run(m, n, k, a, k, 1, b, n, bias, 0, c, ldc, path);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.Equal(42f, c[(i * ldc) + j]);
                    continue;
                }

                double sum = bias[j];
                for (var p = 0; p < k; p++)
                {
                    sum += (double)a[(i * k) + p] * b[(p * n) + j];
                }

                Assert.Equal(sum, c[(i * ldc) + j], 1e-5);
            }
        }
    }

    [Fact]
    public void Too_short_destination_is_refused()
    {
        var a = new float[6];
        var b = new float[9];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Run(2, 3, 3, a, 3, 1, b, 3, new float[6], 3, new float[5], 3));
        Assert.Contains("too short", ex.Message, StringComparison.Ordinal);
    }
}
