using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

public class GlobalNormClippingTests
{
    [Fact]
    public void Large_gradients_are_scaled_to_the_bound_and_the_pre_clip_norm_is_returned()
    {
        float[] gradients = [3f, -4f, 0f, 12f]; // norm 13
        var norm = GlobalNormClipping.Clip(gradients, maxNorm: 1f);
        Assert.Equal(13.0, norm, 1e-9);
        Assert.Equal(3f / 13, gradients[0], 1e-6f);
        Assert.Equal(-4f / 13, gradients[1], 1e-6f);
        Assert.Equal(12f / 13, gradients[3], 1e-6f);
        var after = Math.Sqrt(gradients.Sum(g => (double)g * g));
        Assert.InRange(after, 0.999999, 1.000001);
    }

    [Fact]
    public void Gradients_within_the_bound_stay_bit_identical()
    {
        var gradients = Lstm.SeededData.Floats(100, 1000, 0.01f);
        var original = (float[])gradients.Clone();
        var norm = GlobalNormClipping.Clip(gradients, maxNorm: 5f);
        Assert.True(norm < 5);
        Assert.Equal(original, gradients);
    }

    [Fact]
    public void Non_finite_norm_is_reported_and_nothing_is_scaled()
    {
        float[] gradients = [1f, float.NaN, 100f];
        Assert.True(double.IsNaN(GlobalNormClipping.Clip(gradients, 1f)));
        Assert.Equal(100f, gradients[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => GlobalNormClipping.Clip(gradients, 0f));
    }
}
