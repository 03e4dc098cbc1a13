using Confluent.Kafka;
using Forecaster.Core.Checkpoints;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// What Kafka's log cleaner leaves of a compacted topic (the mock broker never compacts): a copy keeping,
/// per partition, only the latest record of each key, in log order, and no record at all of a key whose
/// latest record is a tombstone (the cleaner drops tombstones after <c>delete.retention.ms</c>; the
/// strictest case). Offsets are renumbered, order kept; headers go with their records.
/// </summary>
internal static class CompactedLog
{
    private static int _copies;

    /// <summary>Copies <paramref name="topic"/> compacted into a new topic of as many partitions (4, the mock's default); returns its name.</summary>
    public static string Copy(string bootstrap, string topic)
    {
        var target = $"{topic}.compacted-{Interlocked.Increment(ref _copies)}";
        var latest = new Dictionary<(int Partition, string Key), ConsumeResult<byte[], byte[]>>();
        foreach (var record in TopicIo.ReadAll(bootstrap, topic, 0, TimeSpan.FromSeconds(20)))
        {
            latest[(record.Partition.Value, Convert.ToBase64String(record.Message.Key ?? []))] = record;
        }

        using var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 1 }).Build();
        foreach (var record in latest.Values.Where(r => r.Message.Value is not null).OrderBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value))
        {
            producer.Produce(
                new TopicPartition(target, record.Partition),
                new Message<byte[], byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = record.Message.Headers });
        }

        // A partition left empty still exists: the mock creates all 4 on the first produce.
        producer.Produce(new TopicPartition(target, 0), new Message<byte[], byte[]?> { Key = "x/unrelated"u8.ToArray(), Value = [] });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        return target;
    }

    /// <summary>Asserts two restores of one shard are the same, bit for bit: offsets, model, every series' record, what each absorbed, orphans.</summary>
    public static void AssertSame(RestoredShard? expected, RestoredShard? actual, Core.Forecasting.ForecastSettings settings, string what)
    {
        Assert.True((expected is null) == (actual is null), $"{what}: one restore found state, the other none");
        if (expected is null || actual is null)
        {
            return;
        }

        Assert.Equal(expected.InputOffset, actual.InputOffset);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(Model(expected), Model(actual));
        var codec = new SeriesEntryCodec(settings);
        // Each series' record in its own group's shape, with what it absorbed and its model version.
        Dictionary<string, (string, long, long)> Records(RestoredShard shard) => Enumerable.Range(0, shard.Series.Count).ToDictionary(
            i => shard.Series[i].Id,
            i => (Convert.ToBase64String(codec.Payload(shard.Series[i], shard.Series[i].State.ShapedAs(settings))), At(shard.Absorbed, i), At(shard.ModelVersions, i)));
        var a = Records(expected);
        var b = Records(actual);
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, record) in a)
        {
            Assert.True(record == b[id], $"{what}: series {id} differs between the full and the compacted log");
        }

        Assert.Equal(expected.Orphans.Order(StringComparer.Ordinal), actual.Orphans.Order(StringComparer.Ordinal));
    }

    private static long At(IReadOnlyList<long> values, int i) => i < values.Count ? values[i] : -2;

    private static string? Model(RestoredShard shard)
    {
        if (shard.Model is null)
        {
            return null;
        }

        using var stream = new MemoryStream();
        ModelSerializer.Write(shard.Model, stream);
        return Convert.ToBase64String(stream.ToArray());
    }
}
