using Forecaster.Core.Training;

namespace Forecaster.Worker.Training;

/// <summary>How one background retraining ended.</summary>
/// <param name="Result">Core's result (Cancelled when abandoned or out of time; null when the run threw).</param>
/// <param name="Outcome">The metric label (see <see cref="TrainingOutcomes"/>).</param>
/// <param name="Duration">Time spent training and validating, queueing excluded.</param>
/// <param name="Error">What the run threw, if it did.</param>
internal sealed record TrainingRun(RetrainResult? Result, string Outcome, TimeSpan Duration, Exception? Error = null);
