namespace Forecaster.Core.Training;

/// <summary>Settings of one training run of a global model over many series.</summary>
/// <param name="Window">T: steps per truncated-BPTT window.</param>
/// <param name="Batch">B: windows per optimizer step.</param>
/// <param name="Steps">Optimizer steps (the run may end earlier when cancelled).</param>
/// <param name="LearningRate">Adam's step size; decays linearly to a tenth over the last half of the run.</param>
/// <param name="ClipNorm">Global gradient norm above which gradients are scaled down.</param>
/// <param name="BurnIn">Leading steps of every window that warm the state up and carry no loss.</param>
/// <param name="Seed">Seed of the window sampling.</param>
/// <param name="PointLevel">
/// The pinball level the model's 0.5 output (the point forecast) is trained at: slightly under 0.5 counters sMAPE's
/// bias against over-forecasts, as ES-RNN did; 0.5 trains the median.
/// </param>
public sealed record FitSettings(
    int Window = 168,
    int Batch = 64,
    int Steps = 600,
    float LearningRate = 2e-3f,
    float ClipNorm = 1f,
    int BurnIn = 24,
    int Seed = 7,
    float PointLevel = 0.5f)
{
    /// <summary>
    /// Threads each optimizer step runs on (<see cref="TrainerSettings.Threads"/>: the batch split into that many
    /// shards); results are deterministic for a given count. 1 by default.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 2, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1, nameof(Batch));
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 0, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ClipNorm, nameof(ClipNorm));
        ArgumentOutOfRangeException.ThrowIfNegative(BurnIn, nameof(BurnIn));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(BurnIn, Window, nameof(BurnIn));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        if (!(PointLevel > 0f && PointLevel < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(PointLevel), PointLevel, "The point level must lie in (0, 1).");
        }
    }
}
