using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Adam with bias correction (Kingma and Ba, 2015, Algorithm 1, in the form PyTorch's <c>torch.optim.Adam</c>
/// documents): m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
/// Moments share the parameter slab's layout, so a step is one loop.
/// </summary>
public sealed class AdamOptimizer
{
    /// <exception cref="ArgumentOutOfRangeException">A count or hyper-parameter is out of range.</exception>
    public AdamOptimizer(int parameterCount, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "β1 and β2 must lie in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        FirstMoment = new float[parameterCount];
        SecondMoment = new float[parameterCount];
    }

    /// <summary>Step size; may be changed between steps (a learning-rate schedule).</summary>
    public float LearningRate { get; set; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    /// <summary>Steps taken so far (t of the bias correction).</summary>
    public long StepCount { get; private set; }

    /// <summary>m, in the parameter slab layout.</summary>
    public float[] FirstMoment { get; }

    /// <summary>v, in the parameter slab layout.</summary>
    public float[] SecondMoment { get; }

    /// <summary>Vector width of the update (<see cref="AdamUpdate"/>; every path gives the same bits).</summary>
    internal KernelPath Path { get; init; } = KernelDispatch.Selected;

    /// <summary>One update of <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    /// <exception cref="ArgumentException">A span's length differs from the moment slabs.</exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        var count = FirstMoment.Length;
        if (parameters.Length != count || gradients.Length != count)
        {
            throw new ArgumentException($"Expected {count} parameters and gradients, got {parameters.Length} and {gradients.Length}.", nameof(parameters));
        }

        StepCount++;
        var stepSize = (float)(LearningRate / (1.0 - Math.Pow(Beta1, StepCount)));
        var inverseRootCorrection = (float)(1.0 / Math.Sqrt(1.0 - Math.Pow(Beta2, StepCount)));
        AdamUpdate.Run(Path, parameters, gradients, FirstMoment, SecondMoment, Beta1, Beta2, stepSize, inverseRootCorrection, Epsilon);
    }

    /// <summary>A copy of the moments and the step counter.</summary>
    public OptimizerState Save() => new((float[])FirstMoment.Clone(), (float[])SecondMoment.Clone(), StepCount);

    /// <summary>Continues from <paramref name="state"/> (copied in), as if its steps had been taken by this optimizer.</summary>
    /// <exception cref="ArgumentException">The state's moments do not have this optimizer's length, or its step count is negative.</exception>
    public void Restore(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.FirstMoment.Length != FirstMoment.Length || state.SecondMoment.Length != SecondMoment.Length || state.StepCount < 0)
        {
            throw new ArgumentException($"The optimizer state has {state.FirstMoment.Length} and {state.SecondMoment.Length} moments and {state.StepCount} steps; this optimizer needs {FirstMoment.Length}.", nameof(state));
        }

        state.FirstMoment.CopyTo(FirstMoment, 0);
        state.SecondMoment.CopyTo(SecondMoment, 0);
        StepCount = state.StepCount;
    }

    /// <summary>Zeroes both moments and the step counter.</summary>
    public void Reset()
    {
        Array.Clear(FirstMoment);
        Array.Clear(SecondMoment);
        StepCount = 0;
    }
}
