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

    /// <summary>Most records handled between two batched model steps.</summary>
    public int MaxBatchRecords { get; set; } = 2048;
    public int AutoCommitIntervalMs { get; set; } = 5000;
    public int SessionTimeoutMs { get; set; } = 45000;

    /// <summary>How long the shutdown may wait for outstanding deliveries.</summary>
    public int FlushTimeoutMs { get; set; } = 10000;

    /// <summary>Extra librdkafka settings for consumer and producer (SASL, TLS, fetch sizes...).</summary>
    public Dictionary<string, string> Client { get; set; } = [];
}
