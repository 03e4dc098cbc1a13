using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

public class ModelInitializerTests
{
    private static readonly ModelShape Shape = new(InputSize: 3, HiddenSize: 16, Horizons: 4, Quantiles: 2);

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        var a = ModelInitializer.Create(Shape, [0.2f, 0.8f], seed: 7);
        var b = ModelInitializer.Create(Shape, [0.2f, 0.8f], seed: 7);
        var c = ModelInitializer.Create(Shape, [0.2f, 0.8f], seed: 8);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.NotEqual(a.Parameters, c.Parameters);
        Assert.Equal(0, a.Version);
    }

    [Fact]
    public void Weights_follow_the_pytorch_ranges_and_forget_bias_is_one()
    {
        var model = ModelInitializer.Create(Shape, [0.2f, 0.8f], seed: 9);
        var p = model.Parameters;
        var bound = 1f / MathF.Sqrt(Shape.HiddenSize);
        const int h = 16;
        Assert.All(p[..Shape.InputBiasOffset], w => Assert.InRange(w, -bound, bound));
        Assert.All(p[Shape.HeadWeightsOffset..Shape.HeadBiasOffset], w => Assert.InRange(w, -bound, bound));
        Assert.All(p[Shape.HeadBiasOffset..], w => Assert.Equal(0f, w));
        for (var j = 0; j < h; j++)
        {
            Assert.Equal(1f, p[Shape.InputBiasOffset + h + j]);
            Assert.Equal(0f, p[Shape.RecurrentBiasOffset + h + j]);
            Assert.InRange(p[Shape.InputBiasOffset + j], -bound, bound);
            Assert.InRange(p[Shape.RecurrentBiasOffset + (3 * h) + j], -bound, bound);
        }

        // Spread, not a constant: the draws cover most of the range.
        Assert.True(p[..Shape.InputBiasOffset].Max() > 0.9f * bound);
        Assert.True(p[..Shape.InputBiasOffset].Min() < -0.9f * bound);
    }

    [Fact]
    public void Levels_are_copied_and_validated()
    {
        float[] levels = [0.2f, 0.8f];
        var model = ModelInitializer.Create(Shape, levels, seed: 1);
        levels[0] = 0.3f;
        Assert.Equal(0.2f, model.QuantileLevels[0]);
        Assert.Throws<ArgumentException>(() => ModelInitializer.Create(Shape, [0.5f], seed: 1));
    }
}
