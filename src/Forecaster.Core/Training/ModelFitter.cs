using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>Outcome of a training run.</summary>
/// <param name="Model">The trained model (the start model's version + 1).</param>
/// <param name="StepsApplied">Optimizer steps taken.</param>
/// <param name="StepsRefused">Steps refused by the NaN/Inf guard.</param>
/// <param name="FirstLoss">Mean loss of the first tenth of the run.</param>
/// <param name="LastLoss">Mean loss of the last tenth of the run.</param>
/// <param name="LastPreClipNorm">Global gradient norm before clipping, at the last step.</param>
public sealed record FitResult(ForecastModel Model, int StepsApplied, int StepsRefused, double FirstLoss, double LastLoss, double LastPreClipNorm)
{
    /// <summary>Adam's state at the end of the run (pass it to the next run that starts from <see cref="Model"/>).</summary>
    public OptimizerState? Optimizer { get; init; }
}

/// <summary>Trains a copy of a model on windows of many series with truncated BPTT, clipping and Adam.</summary>
public static class ModelFitter
{
    /// <summary>
    /// Trains a copy of <paramref name="start"/> for <see cref="FitSettings.Steps"/> steps or until
    /// <paramref name="cancellation"/> is signalled; <paramref name="start"/> is not changed.
    /// </summary>
    /// <param name="start">The weights to start from.</param>
    /// <param name="data">Training rows of every series.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="progress">Told the number of steps done after each applied step.</param>
    /// <param name="optimizer">Adam's state at the end of the run that produced <paramref name="start"/>; null starts from zero moments.</param>
    /// <param name="cancellation">Ends the run early.</param>
    /// <exception cref="ArgumentException">The settings are invalid, no series has rows, or the optimizer state does not fit the model.</exception>
    public static FitResult Fit(ForecastModel start, IReadOnlyList<TrainingSeries> data, FitSettings settings, IProgress<int>? progress = null, OptimizerState? optimizer = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var model = start.Clone(start.Version + 1);
        var shape = model.Shape;
        var sampler = new WindowSampler(data, settings.BurnIn, settings.Seed);
        var batch = new TrainingBatch(shape, settings.Window, settings.Batch);
        var trainer = new TbpttTrainer(shape, new TrainerSettings(settings.LearningRate, settings.ClipNorm, settings.Window, settings.Batch) { Threads = settings.Threads });
        if (optimizer is not null)
        {
            trainer.Optimizer.Restore(optimizer);
        }

        var levels = TrainedLevels(model.QuantileLevels, settings.PointLevel);
        var tenth = Math.Max(1, settings.Steps / 10);
        double firstLoss = 0, lastLoss = 0, lastNorm = 0;
        int firstCount = 0, lastCount = 0, applied = 0, refused = 0;
        for (var step = 0; step < settings.Steps && !cancellation.IsCancellationRequested; step++)
        {
            trainer.Optimizer.LearningRate = ScheduledRate(settings, step);
            sampler.Fill(batch);
            var result = trainer.Step(model.Parameters, levels, batch);
            if (!result.Applied)
            {
                refused++;
                continue;
            }

            applied++;
            lastNorm = result.PreClipNorm;
            if (step < tenth)
            {
                firstLoss += result.Loss;
                firstCount++;
            }

            if (step >= settings.Steps - tenth)
            {
                lastLoss += result.Loss;
                lastCount++;
            }

            progress?.Report(step + 1);
        }

        return new FitResult(model, applied, refused, firstCount > 0 ? firstLoss / firstCount : double.NaN, lastCount > 0 ? lastLoss / lastCount : double.NaN, lastNorm)
        {
            Optimizer = trainer.Optimizer.Save(),
        };
    }

    /// <summary>The levels the outputs are trained at: the model's own, with the 0.5 output at <paramref name="pointLevel"/> (kept ascending).</summary>
    private static float[] TrainedLevels(float[] levels, float pointLevel)
    {
        var trained = (float[])levels.Clone();
        var median = Array.IndexOf(trained, 0.5f);
        if (median < 0 || pointLevel == 0.5f)
        {
            return trained;
        }

        if ((median > 0 && trained[median - 1] >= pointLevel) || (median < trained.Length - 1 && pointLevel >= trained[median + 1]))
        {
            throw new ArgumentException($"The point level {pointLevel} must lie between the neighbouring quantile levels of 0.5.", nameof(pointLevel));
        }

        trained[median] = pointLevel;
        return trained;
    }

    /// <summary>Constant for the first half, then linear decay to a tenth.</summary>
    private static float ScheduledRate(FitSettings settings, int step)
    {
        var half = settings.Steps / 2;
        if (step < half)
        {
            return settings.LearningRate;
        }

        var progress = (float)(step - half) / Math.Max(1, settings.Steps - half);
        return settings.LearningRate * (1f - (0.9f * progress));
    }
}
