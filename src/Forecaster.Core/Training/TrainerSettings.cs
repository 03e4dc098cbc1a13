namespace Forecaster.Core.Training;

/// <summary>Settings of a <see cref="TbpttTrainer"/>; Adam's β1, β2, ε default to 0.9, 0.999, 1e-8.</summary>
/// <param name="LearningRate">Adam step size, &gt; 0.</param>
/// <param name="ClipNorm">Global L2 norm the gradients are clipped to, &gt; 0.</param>
/// <param name="Window">T: steps per training window.</param>
/// <param name="Batch">B: windows per batch.</param>
public sealed record TrainerSettings(float LearningRate, float ClipNorm, int Window, int Batch)
{
    public float Beta1 { get; init; } = 0.9f;

    public float Beta2 { get; init; } = 0.999f;

    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Threads one step runs on, each on its own share of the batch's windows (at most B are used); 1 by default.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (!(float.IsFinite(LearningRate) && LearningRate > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and positive.");
        }

        if (!(float.IsFinite(ClipNorm) && ClipNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "The clipping norm must be finite and positive.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1);
    }
}
