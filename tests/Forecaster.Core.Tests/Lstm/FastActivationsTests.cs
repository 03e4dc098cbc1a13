using System.Runtime.Intrinsics;
using Forecaster.Core.Lstm;
using Xunit.Abstractions;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// The vector sigmoid and tanh of the fused kernels against double precision on dense grids (every float in
/// the ranges below, stepping through the bit patterns, plus values near zero). On a CPU without AVX2/FMA the
/// functions are never called and these tests have nothing to check.
/// </summary>
public class FastActivationsTests(ITestOutputHelper output)
{
    [Fact]
    public void Sigmoid_is_within_1e_6_relative_from_minus_87_up()
    {
        var worst = MaxRelativeError(FastActivations.Sigmoid, z => 1.0 / (1.0 + Math.Exp(-z)), -87f, 40f);
        output.WriteLine($"sigmoid: max relative error {worst:E2}");
        Assert.True(worst < 1e-6, $"max relative error {worst:E2}");
    }

    [Fact]
    public void Tanh_is_within_1e_6_relative_everywhere()
    {
        var worst = Math.Max(
            MaxRelativeError(FastActivations.Tanh, Math.Tanh, -20f, 20f),
            MaxRelativeError(FastActivations.Tanh, Math.Tanh, -1e-3f, 1e-3f));
        output.WriteLine($"tanh: max relative error {worst:E2}");
        Assert.True(worst < 1e-6, $"max relative error {worst:E2}");
    }

    [Fact]
    public void Saturation_infinities_and_NaN()
    {
        if (!FastActivations.IsSupported)
        {
            return;
        }

        var z = Vector256.Create(float.NegativeInfinity, -200f, 200f, float.PositiveInfinity, float.NaN, 0f, -0f, 1e-30f);
        var s = FastActivations.Sigmoid(z);
        var t = FastActivations.Tanh(z);
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

    /// <summary>Max |f(x) − exact(x)| / |exact(x)| over about 2 million floats spread evenly over the bit patterns of [from, to].</summary>
    private static double MaxRelativeError(Func<Vector256<float>, Vector256<float>> f, Func<double, double> exact, float from, float to)
    {
        if (!FastActivations.IsSupported)
        {
            return 0;
        }

        var worst = 0.0;
        var buffer = new float[8];
        var filled = 0;
        foreach (var x in Grid(from, to))
        {
            buffer[filled++] = x;
            if (filled < 8)
            {
                continue;
            }

            filled = 0;
            var y = f(Vector256.Create(buffer));
            for (var lane = 0; lane < 8; lane++)
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
}
