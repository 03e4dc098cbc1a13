using Confluent.Kafka;

namespace Forecaster.Worker.Bench;

/// <summary>Client settings shared by every benchmark phase, so the bare consumer and the worker fetch alike.</summary>
internal static class BenchSettings
{
    /// <summary>Large fetches: the mock broker's consumer is several times faster with them (issue 3 notes 0.47–0.51 M msg/s).</summary>
    public static readonly Dictionary<string, string> Fetch = new()
    {
        ["fetch.max.bytes"] = "52428800",
        ["max.partition.fetch.bytes"] = "10485760",
        ["fetch.wait.max.ms"] = "10",
        ["fetch.queue.backoff.ms"] = "10",
    };

    /// <summary>
    /// Input is compressed like the worker's output: the mock broker keeps only 5 MB per partition, and lz4 lets several
    /// times more points stay in it until they are read.
    /// </summary>
    public static ProducerConfig Producer(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        CompressionType = CompressionType.Lz4,
        LingerMs = 5,
        QueueBufferingMaxMessages = 1_000_000,
    };

    public static ConsumerConfig Consumer(string bootstrap, string group) => new(new Dictionary<string, string>(Fetch))
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
    };

    public static void Produce(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message) =>
        Produce(message, m => producer.Produce(topic, m), producer);

    public static void Produce(IProducer<byte[], byte[]> producer, TopicPartition partition, Message<byte[], byte[]> message) =>
        Produce(message, m => producer.Produce(partition, m), producer);

    /// <summary>Waits out a full local queue.</summary>
    private static void Produce(Message<byte[], byte[]> message, Action<Message<byte[], byte[]>> produce, IProducer<byte[], byte[]> producer)
    {
        while (true)
        {
            try
            {
                produce(message);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Flush(TimeSpan.FromMilliseconds(10));
            }
        }
    }
}
