using Forecaster.Core.Series;

namespace Forecaster.Core.Tests.Series;

public class ValueTransformTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-42.5, 3.0)]
    [InlineData(703008.0, 2500.0)]
    public void Inverse_undoes_forward(double value, double scale) =>
        Assert.Equal(value, ValueTransform.Inverse(ValueTransform.Forward(value, scale), scale), 6);

    [Fact]
    public void Is_logarithmic_far_above_the_scale()
    {
        var scale = ValueTransform.ChooseScale([100f, 100f, 100f]);
        Assert.Equal(1.0, scale, 9);
        var ratio = ValueTransform.Forward(2000, scale) - ValueTransform.Forward(1000, scale);
        Assert.Equal(Math.Log(2), ratio, 4);
    }

    [Fact]
    public void Scale_of_an_all_zero_or_empty_warmup_is_one() =>
        Assert.Equal(1.0, ValueTransform.ChooseScale([0f, float.NaN, 0f]));
}
