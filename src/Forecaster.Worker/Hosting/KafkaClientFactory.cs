using Confluent.Kafka;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Hosting;

/// <summary>Client configurations: the pass-through <c>Kafka:Client</c> settings first, then the ones delivery depends on.</summary>
internal static class KafkaClientFactory
{
    public static ConsumerConfig ConsumerConfig(KafkaOptions options)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Client))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = options.AutoCommitIntervalMs,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = options.SessionTimeoutMs,
        };
        if (!string.IsNullOrWhiteSpace(options.GroupInstanceId))
        {
            config.GroupInstanceId = options.GroupInstanceId;
        }

        return config;
    }

    public static ProducerConfig ProducerConfig(KafkaOptions options) =>
        new(WithoutConsumerKeys(options.Client))
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
            QueueBufferingMaxMessages = 1_000_000,
        };

    /// <summary>Pass-through settings meant for the consumer only would make librdkafka warn in the producer.</summary>
    private static Dictionary<string, string> WithoutConsumerKeys(Dictionary<string, string> client)
    {
        var copy = new Dictionary<string, string>(client);
        foreach (var key in client.Keys)
        {
            if (key.StartsWith("fetch.", StringComparison.Ordinal) || key.StartsWith("max.partition.fetch", StringComparison.Ordinal)
                || key.StartsWith("queued.", StringComparison.Ordinal) || key is "auto.offset.reset" or "session.timeout.ms" or "heartbeat.interval.ms")
            {
                copy.Remove(key);
            }
        }

        return copy;
    }
}
