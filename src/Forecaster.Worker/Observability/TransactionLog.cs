using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Observability;

/// <summary>Log messages of exactly-once transactions and of the broker probe (event ids 70–79).</summary>
internal static partial class TransactionLog
{
    [LoggerMessage(70, LogLevel.Information, "Exactly-once mode: transactional id {TransactionalId}, a transaction committed every {IntervalMs} ms")]
    public static partial void Started(ILogger logger, string transactionalId, int intervalMs);

    [LoggerMessage(71, LogLevel.Warning, "Transaction aborted ({Reason}); the shards are rewound to their last committed checkpoint")]
    public static partial void Aborted(ILogger logger, string reason);

    [LoggerMessage(72, LogLevel.Debug, "Transaction {Number} committed: {Shards} shards checkpointed, {Bytes} state bytes, in {Seconds:F3} s")]
    public static partial void Committed(ILogger logger, long number, int shards, long bytes, double seconds);

    [LoggerMessage(73, LogLevel.Information, "Rewound {Topic} [{Partition}] to input offset {Offset}")]
    public static partial void Rewound(ILogger logger, string topic, int partition, long offset);

    [LoggerMessage(74, LogLevel.Warning, "Kafka brokers unreachable: {Reason}")]
    public static partial void BrokerDown(ILogger logger, string reason);

    [LoggerMessage(75, LogLevel.Information, "Kafka brokers reachable again")]
    public static partial void BrokerUp(ILogger logger);
}
