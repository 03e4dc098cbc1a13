using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>Producing test input and reading a whole topic back, by explicit assignment (no group).</summary>
internal static class TopicIo
{
    public const long T0 = 1_764_100_800_000;

    public static string Point(string series, long ts, double value) =>
        $$"""{"metric":"m","labels":{"s":"{{series}}"},"ts":{{ts}},"value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""";

    public static string SeriesId(string series) => $"m{{s=\"{series}\"}}";

    public static void Produce(string bootstrap, string topic, IEnumerable<(string? Key, string Value)> records)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 1 }).Build();
        foreach (var (key, value) in records)
        {
            producer.Produce(topic, new Message<byte[]?, byte[]> { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Reads <paramref name="topic"/> from the beginning until <paramref name="expected"/> records arrived (or the timeout), then a little longer to catch extras.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrap, string topic, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        List<TopicPartitionOffset> partitions;
        while (true)
        {
            var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Single();
            if (meta.Error.Code == ErrorCode.NoError && meta.Partitions.Count > 0)
            {
                partitions = [.. meta.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning))];
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"topic {topic} never appeared");
            SpinWait.SpinUntil(() => false, 50);
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "reader", EnableAutoCommit = false, EnablePartitionEof = true }).Build();
        consumer.Assign(partitions);
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var eof = new HashSet<int>();
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                eof.Add(result.Partition.Value);
                if (records.Count >= expected && eof.Count == partitions.Count)
                {
                    break;
                }

                continue;
            }

            eof.Remove(result.Partition.Value);
            records.Add(result);
        }

        return records;
    }

    public static JsonElement Json(ConsumeResult<byte[], byte[]> record) => JsonDocument.Parse(record.Message.Value).RootElement.Clone();

    public static string Key(ConsumeResult<byte[], byte[]> record) => Encoding.UTF8.GetString(record.Message.Key);

    public static string? Header(ConsumeResult<byte[], byte[]> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Waits for a condition observable from the test; fails with <paramref name="what"/> after the timeout.</summary>
    public static void WaitFor(Func<bool> condition, string what, int seconds = 30) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(seconds)), "timed out waiting for " + what);
}
