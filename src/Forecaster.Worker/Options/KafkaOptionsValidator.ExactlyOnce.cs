using System.Globalization;

namespace Forecaster.Worker.Options;

/// <summary>The exactly-once settings: a transaction interval the transaction timeout leaves room for, checkpoints on, committed reads.</summary>
internal sealed partial class KafkaOptionsValidator
{
    /// <summary>librdkafka's default <c>transaction.timeout.ms</c>.</summary>
    private const int DefaultTransactionTimeoutMs = 60_000;

    private static void ValidateExactlyOnce(List<string> failures, KafkaOptions options, StateOptions? state)
    {
        if (!options.ExactlyOnce)
        {
            return;
        }

        var timeout = DefaultTransactionTimeoutMs;
        if (options.Client.TryGetValue("transaction.timeout.ms", out var text) && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out timeout))
        {
            failures.Add($"Kafka:Client:transaction.timeout.ms must be a whole number of milliseconds (was '{text}').");
            return;
        }

        if (options.TransactionIntervalMs < 10 || options.TransactionIntervalMs * 2L > timeout)
        {
            failures.Add($"Kafka:TransactionIntervalMs must be in 10..{timeout / 2} (half of transaction.timeout.ms {timeout}) in exactly-once mode (was {options.TransactionIntervalMs}).");
        }

        if (state is { Enabled: false })
        {
            failures.Add("Kafka:ExactlyOnce needs checkpoints (State:CheckpointIntervalSeconds > 0): each transaction carries the state its offsets belong to.");
        }

        if (options.Client.TryGetValue("isolation.level", out var isolation) && isolation != "read_committed")
        {
            failures.Add($"Kafka:Client:isolation.level must be read_committed in exactly-once mode (was '{isolation}').");
        }

        if (options.EffectiveTransactionalId.Length > 200)
        {
            failures.Add("Kafka:TransactionalId must be at most 200 characters.");
        }
    }
}
