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

        if (options.ExactlyOnce)
        {
            // Offsets travel in the producer's transactions; input written transactionally upstream is read once committed.
            config.EnableAutoCommit = false;
            config.IsolationLevel = IsolationLevel.ReadCommitted;
        }

        return config;
    }

    /// <summary>The idempotent producer; in exactly-once mode also transactional, with this instance's transactional id.</summary>
    public static ProducerConfig ProducerConfig(KafkaOptions options)
    {
        var config = IdempotentProducerConfig(options);
        if (options.Client.TryGetValue("linger.ms", out var linger))
        {
            config.Set("linger.ms", linger); // A tuning choice, not a guarantee: the operator's value wins over the 5 ms default.
        }

        if (!options.Client.ContainsKey("request.timeout.ms"))
        {
            // A broker that stops answering (paused, partitioned) leaves produce requests unacknowledged: with
            // librdkafka's 30 s they would time out in a 30 s outage and send the idempotent producer through
            // a drain and epoch bump; 45 s rides it out, still below the transactional 60 s message timeout.
            config.RequestTimeoutMs = 45_000;
        }

        if (options.ExactlyOnce)
        {
            config.TransactionalId = options.EffectiveTransactionalId;
        }

        return config;
    }

    /// <summary>The admin client of the start-up topic check: the pass-through settings a producer takes (security, addresses).</summary>
    public static AdminClientConfig AdminConfig(KafkaOptions options) =>
        new(WithoutConsumerKeys(options.Client)) { BootstrapServers = options.BootstrapServers };

    private static ProducerConfig IdempotentProducerConfig(KafkaOptions options) =>
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
                || key.StartsWith("queued.", StringComparison.Ordinal) || key is "auto.offset.reset" or "session.timeout.ms" or "heartbeat.interval.ms" or "isolation.level")
            {
                copy.Remove(key);
            }
        }

        return copy;
    }
}
