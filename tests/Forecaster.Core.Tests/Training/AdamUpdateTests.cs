using Forecaster.Core.Lstm;
using Forecaster.Core.Tests.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

/// <summary>The vector Adam updates (16 and 8 lanes) give the scalar loop's bits, tails included.</summary>
public class AdamUpdateTests
{
    [Theory]
    [MemberData(nameof(KernelPaths.Vector), MemberType = typeof(KernelPaths))]
    public void Vector_updates_equal_the_scalar_loop_bit_for_bit(KernelPath path)
    {
        const int count = 16 + 8 + 7; // one 16-lane vector, one 8-lane vector, a scalar tail
        var scalar = new AdamOptimizer(count, 0.01f) { Path = KernelPath.Portable };
        var vector = new AdamOptimizer(count, 0.01f) { Path = path };
        var pScalar = SeededData.Floats(1, count);
        var pVector = (float[])pScalar.Clone();
        for (var step = 0; step < 5; step++)
        {
            var gradients = SeededData.Floats(10 + step, count, 3f);
            gradients[step] = 0f;
            scalar.Step(pScalar, gradients);
            vector.Step(pVector, gradients);
        }

        Assert.Equal(pScalar, pVector);
        Assert.Equal(scalar.FirstMoment, vector.FirstMoment);
        Assert.Equal(scalar.SecondMoment, vector.SecondMoment);
        Assert.NotEqual(SeededData.Floats(1, count), pVector);
    }
}
