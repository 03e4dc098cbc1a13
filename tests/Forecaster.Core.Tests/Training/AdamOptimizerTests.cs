using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

public class AdamOptimizerTests
{
    [Fact]
    public void Two_steps_equal_a_hand_computation()
    {
        var adam = new AdamOptimizer(parameterCount: 3, learningRate: 0.1f);
        float[] parameters = [1f, -2f, 0.5f];
        float[] g1 = [0.5f, -1f, 0f];
        float[] g2 = [-0.25f, 2f, 1e-3f];
        double[] p = [1, -2, 0.5], m = new double[3], v = new double[3];
        for (var step = 1; step <= 2; step++)
        {
            var g = step == 1 ? g1 : g2;
            adam.Step(parameters, g);
            for (var i = 0; i < 3; i++)
            {
                m[i] = (0.9 * m[i]) + (0.1 * g[i]);
                v[i] = (0.999 * v[i]) + (0.001 * g[i] * g[i]);
                var mHat = m[i] / (1 - Math.Pow(0.9, step));
                var vHat = v[i] / (1 - Math.Pow(0.999, step));
                p[i] -= 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8);
                Assert.Equal(p[i], parameters[i], 1e-6);
            }
        }

        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var adam = new AdamOptimizer(3, 0.1f);
        Assert.Throws<ArgumentException>(() => adam.Step(new float[3], new float[2]));
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void A_restored_state_continues_exactly_where_the_saved_optimizer_stopped()
    {
        float[][] gradients = [[0.5f, -1f, 0f], [-0.25f, 2f, 1e-3f], [1f, 0.5f, -0.75f], [0.1f, -0.2f, 0.3f]];
        var straight = new AdamOptimizer(3, 0.05f);
        float[] once = [1f, -2f, 0.5f];
        foreach (var g in gradients)
        {
            straight.Step(once, g);
        }

        var first = new AdamOptimizer(3, 0.05f);
        float[] resumed = [1f, -2f, 0.5f];
        first.Step(resumed, gradients[0]);
        first.Step(resumed, gradients[1]);
        var saved = first.Save();
        first.Step(new float[3], gradients[3]); // The copy must not see later steps.
        var second = new AdamOptimizer(3, 0.05f);
        second.Restore(saved);
        second.Step(resumed, gradients[2]);
        second.Step(resumed, gradients[3]);

        Assert.Equal(once, resumed);
        Assert.Equal(4, second.StepCount);
        Assert.Equal(2, saved.StepCount);
    }

    [Fact]
    public void A_state_of_another_length_is_refused()
    {
        var adam = new AdamOptimizer(3, 0.1f);
        Assert.Throws<ArgumentException>(() => adam.Restore(new AdamOptimizer(4, 0.1f).Save()));
        Assert.Equal(0, adam.StepCount);
    }
}
