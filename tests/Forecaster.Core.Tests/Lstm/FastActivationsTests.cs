using System.Runtime.Intrinsics;
using Forecaster.Core.Lstm;
using Xunit.Abstractions;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// The vector sigmoid and tanh of the fused kernels (eight lanes, <see cref="FastActivations"/>, and sixteen,
/// <see cref="FastActivations512"/>) against double precision on dense grids (every float in the ranges below,
/// stepping through the bit patterns, plus values near zero). A width the CPU lacks yields no test case.
/// </summary>
public class FastActivationsTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(KernelPaths.Vector), MemberType = typeof(KernelPaths))]
    public void Sigmoid_is_within_1e_6_relative_from_minus_87_up(KernelPath path)
    {
        var worst = MaxRelativeError(Lanes(path, sigmoid: true), z => 1.0 / (1.0 + Math.Exp(-z)), -87f, 40f);
        output.WriteLine($"{path} sigmoid: max relative error {worst:E2}");
        Assert.True(worst < 1e-6, $"max relative error {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(KernelPaths.Vector), MemberType = typeof(KernelPaths))]
    public void Tanh_is_within_1e_6_relative_everywhere(KernelPath path)
    {
        var worst = Math.Max(
            MaxRelativeError(Lanes(path, sigmoid: false), Math.Tanh, -20f, 20f),
            MaxRelativeError(Lanes(path, sigmoid: false), Math.Tanh, -1e-3f, 1e-3f));
        output.WriteLine($"{path} tanh: max relative error {worst:E2}");
        Assert.True(worst < 1e-6, $"max relative error {worst:E2}");
    }

    [Fact]
    public void The_cell_tanh_by_sigmoid_is_within_2_5e_7_absolute_everywhere()
    {
        if (!KernelDispatch.IsSupported(KernelPath.Avx512))
        {
            return; // nothing to check without AVX-512
        }

        var worst = 0.0;
        foreach (var (from, to) in new[] { (-20f, 20f), (-1e-3f, 1e-3f) })
        {
            var x = Grid(from, to).ToArray();
            var y = new float[x.Length + 16];
            for (var i = 0; i + 16 <= x.Length; i += 16)
            {
                FastActivations512.TanhBySigmoid(Vector512.Create(x.AsSpan(i, 16))).CopyTo(y.AsSpan(i));
            }

            for (var i = 0; i < (x.Length & ~15); i++)
            {
                worst = Math.Max(worst, Math.Abs(y[i] - Math.Tanh(x[i])));
            }
        }

        output.WriteLine($"tanh by sigmoid: max absolute error {worst:E2}");
        Assert.True(worst < 2.5e-7, $"max absolute error {worst:E2}");
        float[] special = [float.NegativeInfinity, -200f, 200f, float.PositiveInfinity, float.NaN, 0f, 1f, -1f, 0, 0, 0, 0, 0, 0, 0, 0];
        var t = new float[16];
        FastActivations512.TanhBySigmoid(Vector512.Create(special)).CopyTo(t);
        Assert.Equal([-1f, -1f, 1f, 1f], t[..4], new FloatTolerance(1.2e-7f));
        Assert.True(float.IsNaN(t[4]));
        Assert.Equal(0f, t[5], 1e-7f);
    }

    [Theory]
    [MemberData(nameof(KernelPaths.Vector), MemberType = typeof(KernelPaths))]
    public void Saturation_infinities_and_NaN(KernelPath path)
    {
        float[] z = [float.NegativeInfinity, -200f, 200f, float.PositiveInfinity, float.NaN, 0f, -0f, 1e-30f];
        float[] s = new float[8], t = new float[8];
        Lanes(path, sigmoid: true)(z, s);
        Lanes(path, sigmoid: false)(z, t);
        Assert.InRange(s[0], 0f, 1e-37f);
        Assert.InRange(s[1], 0f, 1e-37f);
        Assert.Equal(1f, s[2], 1e-7f); // the refined reciprocal may land one ulp below 1
        Assert.Equal(1f, s[3], 1e-7f);
        Assert.True(float.IsNaN(s[4]) && float.IsNaN(t[4]));
        Assert.Equal(0.5f, s[5], 1e-7f);
        Assert.Equal([-1f, -1f, 1f, 1f], [t[0], t[1], t[2], t[3]]);
        Assert.Equal(0f, t[5]);
        Assert.True(float.IsNegative(t[6]) && t[6] == 0f);
        Assert.Equal(1e-30f, t[7]);
    }

    /// <summary>
    /// The path's sigmoid or tanh over a buffer whose length is a multiple of 8: eight lanes at a time on AVX2;
    /// on AVX-512 sixteen at a time, a last half vector filled by repeating its 8 values in both halves.
    /// </summary>
    private static Action<float[], float[]> Lanes(KernelPath path, bool sigmoid) => path switch
    {
        KernelPath.Avx2 => (x, y) =>
        {
            for (var i = 0; i < x.Length; i += 8)
            {
                var v = Vector256.Create(x.AsSpan(i, 8));
                (sigmoid ? FastActivations.Sigmoid(v) : FastActivations.Tanh(v)).CopyTo(y.AsSpan(i));
            }
        }
        ,
        KernelPath.Avx512 => (x, y) =>
        {
            for (var i = 0; i < x.Length; i += 16)
            {
                var half = i + 16 > x.Length;
                var v = half ? Vector512.Create(Vector256.Create(x.AsSpan(i, 8)), Vector256.Create(x.AsSpan(i, 8))) : Vector512.Create(x.AsSpan(i, 16));
                var r = sigmoid ? FastActivations512.Sigmoid(v) : FastActivations512.Tanh(v);
                if (half)
                {
                    r.GetLower().CopyTo(y.AsSpan(i));
                }
                else
                {
                    r.CopyTo(y.AsSpan(i));
                }
            }
        }
        ,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "Not a vector path."),
    };

    /// <summary>Max |f(x) − exact(x)| / |exact(x)| over about 2 million floats spread evenly over the bit patterns of [from, to].</summary>
    private static double MaxRelativeError(Action<float[], float[]> f, Func<double, double> exact, float from, float to)
    {
        var worst = 0.0;
        const int Lanes = 4096;
        float[] buffer = new float[Lanes], y = new float[Lanes];
        var filled = 0;
        foreach (var x in Grid(from, to))
        {
            buffer[filled++] = x;
            if (filled < Lanes)
            {
                continue;
            }

            filled = 0;
            f(buffer, y);
            for (var lane = 0; lane < Lanes; lane++)
            {
                var expected = exact(buffer[lane]);
                if (expected != 0)
                {
                    worst = Math.Max(worst, Math.Abs(y[lane] - expected) / Math.Abs(expected));
                }
            }
        }

        return worst;
    }

    /// <summary>Floats of [from, to] taken every few bit patterns: negatives from −0 outward, then positives.</summary>
    private static IEnumerable<float> Grid(float from, float to)
    {
        const int Samples = 1 << 20;
        foreach (var (sign, limit) in new[] { (-1f, -from), (1f, to) })
        {
            if (limit <= 0)
            {
                continue;
            }

            var top = BitConverter.SingleToInt32Bits(limit);
            var step = Math.Max(1, top / Samples);
            for (var bits = 0; bits <= top; bits += step)
            {
                yield return sign * BitConverter.Int32BitsToSingle(bits);
            }
        }
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
