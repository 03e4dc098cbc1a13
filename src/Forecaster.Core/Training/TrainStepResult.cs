namespace Forecaster.Core.Training;

/// <summary>Outcome of one <see cref="TbpttTrainer.Step"/>.</summary>
/// <param name="Loss">Mean pinball loss of the batch before the update.</param>
/// <param name="PreClipNorm">Global L2 norm of the gradients before clipping.</param>
/// <param name="Applied">False when the step was refused (non-finite loss or norm, or no target present): parameters untouched.</param>
public readonly record struct TrainStepResult(double Loss, double PreClipNorm, bool Applied);
