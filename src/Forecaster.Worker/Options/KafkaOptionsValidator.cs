using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses a Kafka section the worker cannot run with, naming the setting.</summary>
/// <param name="state">The State section, which exactly-once mode depends on (absent: checkpoints assumed on).</param>
internal sealed partial class KafkaOptionsValidator(IOptions<StateOptions>? state = null) : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var failures = new List<string>();
        Require(failures, options.BootstrapServers, "BootstrapServers");
        Require(failures, options.GroupId, "GroupId");
        Require(failures, options.InputTopic, "InputTopic");
        Require(failures, options.ForecastTopic, "ForecastTopic");
        Require(failures, options.DeadLetterTopic, "DeadLetterTopic");
        Require(failures, options.RepartitionTopic, "RepartitionTopic");
        if (options.InputTopics.Contains(options.RepartitionTopic, StringComparer.Ordinal))
        {
            failures.Add($"Kafka:RepartitionTopic {options.RepartitionTopic} is also an input topic (Kafka:InputTopic): it is subscribed to on its own.");
        }
        if (options.MaxBatchRecords is < 1 or > 1_000_000)
        {
            failures.Add($"Kafka:MaxBatchRecords must be in 1..1000000 (was {options.MaxBatchRecords}).");
        }

        if (options.AutoCommitIntervalMs < 1)
        {
            failures.Add($"Kafka:AutoCommitIntervalMs must be positive (was {options.AutoCommitIntervalMs}).");
        }

        if (options.FlushTimeoutMs < 0)
        {
            failures.Add($"Kafka:FlushTimeoutMs must not be negative (was {options.FlushTimeoutMs}).");
        }

        ValidateExactlyOnce(failures, options, ValidState());
        foreach (var key in options.Client.Keys)
        {
            if (ManagedKeys.Contains(key))
            {
                failures.Add($"Kafka:Client:{key} is set by the worker itself and cannot be overridden.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The State section, or null when it is invalid: it reports its own failures, and these stay Kafka's.</summary>
    private StateOptions? ValidState()
    {
        try
        {
            return state?.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    /// <summary>librdkafka keys the delivery guarantees depend on.</summary>
    private static readonly HashSet<string> ManagedKeys =
    [
        "enable.auto.offset.store", "enable.auto.commit", "enable.idempotence", "group.id", "bootstrap.servers", "transactional.id",
    ];

    private static void Require(List<string> failures, string value, string setting)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"Kafka:{setting} is required.");
        }
    }
}
