using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses training settings that cannot work.</summary>
internal sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        var failures = new List<string>();
        Range(failures, "Interval", options.Interval, 0, 7 * 86400);
        Range(failures, "EveryPoints", options.EveryPoints, 0, long.MaxValue);
        Range(failures, "Window", options.Window, 2, 100_000);
        Range(failures, "Batch", options.Batch, 1, 4096);
        Range(failures, "Steps", options.Steps, 0, 10_000_000);
        Range(failures, "BurnIn", options.BurnIn, 0, options.Window - 1);
        Range(failures, "MaxSeconds", options.MaxSeconds, 1, 86400);
        Range(failures, "Threads", options.Threads, 1, 64);
        Range(failures, "StepThreads", options.StepThreads, 0, 64);
        Range(failures, "RewarmSteps", options.RewarmSteps, 1, 100_000);
        Range(failures, "MaxSeries", options.MaxSeries, 0, 1_000_000);
        Range(failures, "FirstPoints", options.FirstPoints, 0, long.MaxValue);
        if (!(options.LearningRate > 0 && float.IsFinite(options.LearningRate)))
        {
            failures.Add($"Training:LearningRate must be finite and > 0 (was {options.LearningRate}).");
        }

        if (!(options.PointLevel > 0.1f && options.PointLevel < 0.9f))
        {
            failures.Add($"Training:PointLevel must be in (0.1, 0.9), between the outer quantile levels (was {options.PointLevel}).");
        }

        if (!(options.ChampionShare >= 0f && options.ChampionShare < 1f))
        {
            failures.Add($"Training:ChampionShare must be in [0, 1) (was {options.ChampionShare}).");
        }

        if (!(options.ClipNorm > 0 && float.IsFinite(options.ClipNorm)))
        {
            failures.Add($"Training:ClipNorm must be finite and > 0 (was {options.ClipNorm}).");
        }

        if (!Enum.IsDefined(options.StartFrom))
        {
            failures.Add($"Training:StartFrom must be Pretrained or Scratch (was {options.StartFrom}).");
        }

        if (options.Enabled && options.Interval == 0 && options.EveryPoints == 0)
        {
            failures.Add("Training:Interval and Training:EveryPoints are both 0: set one, or Training:Enabled to false.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Training:{setting} must be in {min}..{max} (was {value}).");
        }
    }
}
