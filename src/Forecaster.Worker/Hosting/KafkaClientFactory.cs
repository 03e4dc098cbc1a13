using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The Confluent clients behind the seam (<see cref="IKafkaClients"/>), and their configurations: the
/// pass-through <c>Kafka:Client</c> settings first, then the ones delivery depends on.
/// </summary>
internal sealed class KafkaClientFactory : IKafkaClients
{
    /// <summary>
    /// librdkafka's <c>fetch.queue.backoff.ms</c> unless <c>Kafka:Client</c> sets it. Its default, 1000 ms, postpones a
    /// partition's next fetch by a second whenever the local queue is past <c>queued.min.messages</c> (100,000) or
    /// <c>queued.max.messages.kbytes</c>: a consumer that drains that queue faster, as ours does while catching up, then
    /// waits with nothing to read. On the mock broker the bench's bare consumer read 5.5 to 7 times faster with 10 ms, and
    /// the worker 2.7 times (README, "Benchmarks").
    /// </summary>
    public const int FetchQueueBackoffMs = 10;

    /// <summary>
    /// What Confluent's <c>Consume</c> fills in on each input record unless <c>Kafka:Client</c> says otherwise: the topic
    /// (routing) and the headers (the repartition topic's origin marks). The record timestamp is left out: nothing reads it
    /// (points carry their own time), and marshalling it costs a native call per record.
    /// </summary>
    public const string ConsumeResultFields = "topic,headers";

    public IKafkaProducer CreateProducer(KafkaOptions kafka, ClientHandlers handlers) =>
        new ConfluentProducer(new ProducerBuilder<byte[], byte[]>(ProducerConfig(kafka))
            .SetErrorHandler((_, e) => handlers.Error(e))
            .SetLogHandler((_, m) => handlers.Log(m))
            .Build());

    public IKafkaConsumer CreateConsumer(KafkaOptions kafka, ClientHandlers handlers) =>
        new ConfluentConsumer(new ConsumerBuilder<byte[], byte[]>(ConsumerConfig(kafka))
            .SetErrorHandler((_, e) => handlers.Error(e))
            .SetLogHandler((_, m) => handlers.Log(m))
            .SetPartitionsAssignedHandler((_, partitions) => handlers.Assigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => handlers.Revoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => handlers.Lost(partitions))
            .Build());

    /// <summary>A reader of its own per read, by assignment, in a group of its own that never commits; committed records only.</summary>
    public IStateReader CreateStateReader(KafkaOptions kafka, StateOptions state, ForecastSettings settings)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(kafka.Client))
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = kafka.GroupId + ".state-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        config.FetchQueueBackoffMs ??= FetchQueueBackoffMs; // a restore reads the whole state topic as fast as it can
        return new StateRestorer(config, kafka.StateTopic, settings, TimeSpan.FromSeconds(state.RestoreTimeoutSeconds), state.RestoreParallelism);
    }

    public IDisposable StartBrokerProbe(IKafkaProducer producer, string topic, WorkerHealth health, ForecasterMetrics metrics, ILogger logger) =>
        new BrokerProbe(((ConfluentProducer)producer).Handle, topic, health, metrics, logger);

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
        config.FetchQueueBackoffMs ??= FetchQueueBackoffMs;
        if (!options.Client.ContainsKey(ConfigPropertyNames.Consumer.ConsumeResultFields))
        {
            config.ConsumeResultFields = ConsumeResultFields;
        }

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
