using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses checkpoint settings that cannot work.</summary>
internal sealed class StateOptionsValidator : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        var failures = new List<string>();
        if (options.CheckpointIntervalSeconds is < 0 or > 86_400)
        {
            failures.Add($"State:CheckpointIntervalSeconds must be in 0..86400 (was {options.CheckpointIntervalSeconds}).");
        }

        if (options.RestoreTimeoutSeconds is < 1 or > 3_600)
        {
            failures.Add($"State:RestoreTimeoutSeconds must be in 1..3600 (was {options.RestoreTimeoutSeconds}).");
        }

        if (options.CheckpointChunkMilliseconds is < 1 or > 10_000)
        {
            failures.Add($"State:CheckpointChunkMilliseconds must be in 1..10000 (was {options.CheckpointChunkMilliseconds}).");
        }

        if (options.RestoreChunkSeriesSteps < 0)
        {
            failures.Add($"State:RestoreChunkSeriesSteps must be 0 (no cap) or more (was {options.RestoreChunkSeriesSteps}).");
        }

        if (options.CheckpointChunkSeries is < 1 or > 10_000_000)
        {
            failures.Add($"State:CheckpointChunkSeries must be in 1..10000000 (was {options.CheckpointChunkSeries}).");
        }

        if (options.CheckpointChunkIntervalMs is < 0 or > 60_000)
        {
            failures.Add($"State:CheckpointChunkIntervalMs must be in 0..60000 (was {options.CheckpointChunkIntervalMs}).");
        }

        if (options.RestoreThreads is < 0 or > 64)
        {
            failures.Add($"State:RestoreThreads must be in 0..64 (was {options.RestoreThreads}).");
        }

        if (options.HeldPointMaxSeconds is < 0 or > 86_400)
        {
            failures.Add($"State:HeldPointMaxSeconds must be in 0..86400 (was {options.HeldPointMaxSeconds}).");
        }

        if (options.HeldPointMaxStreamSeconds is < 0 or > 31_536_000)
        {
            failures.Add($"State:HeldPointMaxStreamSeconds must be in 0..31536000 (was {options.HeldPointMaxStreamSeconds}).");
        }

        if (options.MaxOutstandingOffsets is < 1_000 or > 100_000_000)
        {
            failures.Add($"State:MaxOutstandingOffsets must be in 1000..100000000 (was {options.MaxOutstandingOffsets}).");
        }

        if (options.CreateTopics && !options.CheckTopics)
        {
            failures.Add("State:CreateTopics needs State:CheckTopics (the start-up topic check is what creates them).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
