namespace Forecaster.Worker.Options;

/// <summary>The <c>Kafka</c> section: where to read points and where to write forecasts.</summary>
internal sealed class KafkaOptions
{
    public const string Section = "Kafka";

    public string BootstrapServers { get; set; } = "";
    public string GroupId { get; set; } = "forecaster";

    /// <summary>Static membership id (the pod name); empty = dynamic membership.</summary>
    public string GroupInstanceId { get; set; } = "";
    public string InputTopic { get; set; } = "metrics";
    public string ForecastTopic { get; set; } = "forecasts";
    public string DeadLetterTopic { get; set; } = "metrics.dlq";
    public string StateTopic { get; set; } = "forecaster.state";

    /// <summary>
    /// Where unkeyed and mis-keyed input is re-produced keyed by series id (canonical JSON points), and read back from:
    /// each of its partitions is a shard of its own. Unused with <c>Ingest:TrustKeys</c>.
    /// </summary>
    public string RepartitionTopic { get; set; } = "forecaster.repartition";

    /// <summary>Most records handled between two batched model steps.</summary>
    public int MaxBatchRecords { get; set; } = 2048;

    /// <summary>
    /// Polls the input on a thread of its own, up to two batches ahead of the loop (<see cref="Hosting.Clients.FetchAhead"/>);
    /// false polls on the loop's thread between batches.
    /// </summary>
    public bool FetchAhead { get; set; } = true;
    [Duration(DurationUnit.Milliseconds)]
    public int AutoCommitIntervalMs { get; set; } = 5000;
    [Duration(DurationUnit.Milliseconds)]
    public int SessionTimeoutMs { get; set; } = 45000;

    /// <summary>How long the shutdown may wait for outstanding deliveries.</summary>
    [Duration(DurationUnit.Milliseconds)]
    public int FlushTimeoutMs { get; set; } = 10000;

    /// <summary>
    /// Exactly-once mode: forecasts, dead letters, checkpoints and the consumed offsets are written in one
    /// Kafka transaction, committed every <see cref="TransactionIntervalMs"/>. Needs checkpoints (State section).
    /// </summary>
    public bool ExactlyOnce { get; set; }

    /// <summary>Transactional id of this instance in exactly-once mode; empty = <c>{GroupId}-{GroupInstanceId or host name}</c>.</summary>
    public string TransactionalId { get; set; } = "";

    /// <summary>Milliseconds between two transaction commits in exactly-once mode (the latency a read_committed consumer sees).</summary>
    [Duration(DurationUnit.Milliseconds)]
    public int TransactionIntervalMs { get; set; } = 500;

    /// <summary>Extra librdkafka settings for consumer and producer (SASL, TLS, fetch sizes...).</summary>
    public Dictionary<string, string> Client { get; set; } = [];

    /// <summary>The input topics of <see cref="InputTopic"/> (comma-separated).</summary>
    public string[] InputTopics => InputTopic.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The transactional id in use: <see cref="TransactionalId"/>, else one per instance, stable across restarts of a StatefulSet pod.</summary>
    public string EffectiveTransactionalId =>
        !string.IsNullOrWhiteSpace(TransactionalId) ? TransactionalId
        : $"{GroupId}-{(string.IsNullOrWhiteSpace(GroupInstanceId) ? Environment.MachineName : GroupInstanceId)}";
}
