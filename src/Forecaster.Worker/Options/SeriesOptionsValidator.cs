using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses series limits that cannot work.</summary>
internal sealed class SeriesOptionsValidator : IValidateOptions<SeriesOptions>
{
    public ValidateOptionsResult Validate(string? name, SeriesOptions options)
    {
        var failures = new List<string>();
        Range(failures, "MaxSeriesPerShard", options.MaxSeriesPerShard, 1, 10_000_000);
        Range(failures, "StepSeconds", options.StepSeconds, 0, 31 * 86400);
        Range(failures, "StepLearningPoints", options.StepLearningPoints, 2, 64);
        Range(failures, "ReorderWindowSteps", options.ReorderWindowSteps, 0, 64);
        Range(failures, "MaxGapSteps", options.MaxGapSteps, 0, 10_000);
        Range(failures, "MaxBatchSeries", options.MaxBatchSeries, 1, 1_000_000);
        Range(failures, "MinStep", options.MinStep, 0, 86_400);
        Range(failures, "BucketCloseAfter", options.BucketCloseAfter, 0, 7 * 86_400);
        if (!Enum.IsDefined(options.Aggregation))
        {
            failures.Add($"Series:Aggregation must be mean, last, min, max or sum (was {(int)options.Aggregation}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Series:{setting} must be in {min}..{max} (was {value}).");
        }
    }
}
