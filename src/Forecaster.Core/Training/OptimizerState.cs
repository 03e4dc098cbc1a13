namespace Forecaster.Core.Training;

/// <summary>
/// A copy of Adam's state after a training run (moments in the parameter slab layout, and the step count of
/// the bias correction), so the next run on the same weights continues instead of starting from zero moments.
/// </summary>
/// <param name="FirstMoment">m.</param>
/// <param name="SecondMoment">v.</param>
/// <param name="StepCount">t.</param>
public sealed record OptimizerState(float[] FirstMoment, float[] SecondMoment, long StepCount);
