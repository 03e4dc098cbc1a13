namespace Forecaster.Core.Tests.Lstm;

/// <summary>Deterministic test data: every array comes from an explicitly seeded <see cref="Random"/>.</summary>
internal static class SeededData
{
    /// <summary>Uniform values in [-scale, scale).</summary>
    public static float[] Floats(int seed, int length, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * scale);
        }

        return values;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    /// <summary>Asserts |actual − expected| ≤ relative·max(|expected|, floor) element-wise, naming the first failing index.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative, double floor)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = relative * Math.Max(Math.Abs(expected[i]), floor);
            Assert.True(
                Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"Index {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:R}).");
        }
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, double floor) =>
        AssertClose(ToDouble(expected), actual, relative, floor);
}
