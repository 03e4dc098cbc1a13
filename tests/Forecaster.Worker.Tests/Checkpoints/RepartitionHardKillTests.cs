using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Driver;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Re-keying on librdkafka's mock cluster in a process of its own (issue 14 item 1): every series' points, unkeyed and
/// spread over the four input partitions (step k of series s to partition (s + k) mod 4), are re-keyed through the
/// repartition topic by worker processes killed mid-stream twice, then by an in-process worker. Each series ends in one
/// shard of the repartition topic (the input shards hold none), with the state of an uninterrupted keyed run, and every
/// point forecast. The input is produced a step at a time, each once the previous step is forecast: Kafka orders only
/// within a partition, and this keeps each series in time order on its way through the four partitions.
/// </summary>
public class RepartitionHardKillTests
{
    private const int Series = 4;
    private const int Steps = 24;
    private static readonly int[] KillAfter = [8, 16];

    [Fact]
    public void Unkeyed_points_over_four_partitions_end_in_one_shard_each_forecast_also_across_hard_kills()
    {
        using var broker = new BrokerProcess();
        var bootstrap = broker.BootstrapServers;
        var reference = StateWorker.Kafka(bootstrap, "rk-ref");
        using (var worker = new StateWorker(reference))
        {
            for (var step = 0; step < Steps; step++)
            {
                Produce(bootstrap, reference.InputTopic, step, keyed: true);
            }

            Assert.Equal(Series * (Steps - 1), DistinctForecasts(bootstrap, reference.ForecastTopic, Series * (Steps - 1)));
            worker.Stop();
        }

        var kafka = StateWorker.Kafka(bootstrap, "rk");
        var step0 = 0;
        foreach (var kill in KillAfter)
        {
            using var child = new ChildProcess("forecaster.dll", ["run"], Environment(kafka));
            Paced(bootstrap, kafka, step0, kill, () => child.Tail);
            Produce(bootstrap, kafka.InputTopic, kill, keyed: false); // in flight when it dies: read, maybe re-keyed, not yet saved
            child.Kill();
            step0 = kill + 1;
        }

        using (var last = new StateWorker(kafka))
        {
            Paced(bootstrap, kafka, step0, Steps, () => "in-process worker");
            Assert.Equal(Series * (Steps - 1), DistinctForecasts(bootstrap, kafka.ForecastTopic, Series * (Steps - 1)));
            last.Stop();
            Assert.Equal(0, last.Metrics.RestoreFailures.Value);
        }

        var restorer = StateWorker.Restorer(bootstrap, kafka);
        var input = Enumerable.Range(0, 4).Select(p => restorer.Read(kafka.InputTopic, p, out _)).ToList();
        var rekeyed = Enumerable.Range(0, 4).Select(p => restorer.Read(kafka.RepartitionTopic, p, out _)).ToList();
        Assert.All(input, s => Assert.Empty(s?.Series ?? []));
        var ids = rekeyed.SelectMany(s => s?.Series ?? []).Select(e => e.Id).ToList();
        Assert.Equal(Series, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count()); // each series in exactly one shard

        var expected = StateWorker.SeriesBytes(StateWorker.ReadState(bootstrap, reference));
        var actual = StateWorker.SeriesBytes([.. rekeyed]);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, bytes) in expected)
        {
            Assert.True(RepartitionDriverTests.LearntState(bytes).SequenceEqual(RepartitionDriverTests.LearntState(actual[id])), $"series {id} differs from the uninterrupted keyed run");
        }

        Assert.Empty(TopicIo.ReadAll(bootstrap, kafka.DeadLetterTopic, 0, TimeSpan.FromSeconds(2)));
    }

    /// <summary>Produces steps <paramref name="from"/> to <paramref name="to"/> (exclusive) unkeyed, each once the step before it is forecast.</summary>
    private static void Paced(string bootstrap, KafkaOptions kafka, int from, int to, Func<string> tail)
    {
        for (var step = from; step < to; step++)
        {
            Produce(bootstrap, kafka.InputTopic, step, keyed: false);
            var want = Series * step; // step k closes the bucket of step k - 1
            var seen = DistinctForecasts(bootstrap, kafka.ForecastTopic, want);
            Assert.True(seen >= want, $"{seen} of {want} points forecast at step {step}: {tail()}");
        }
    }

    private static void Produce(string bootstrap, string topic, int step, bool keyed)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 1 }).Build();
        for (var s = 0; s < Series; s++)
        {
            var value = 50 + (10 * Math.Sin((step + s) * 0.5)) + s;
            var message = new Message<byte[]?, byte[]>
            {
                Key = keyed ? Encoding.UTF8.GetBytes(TopicIo.SeriesId("s" + s)) : null,
                Value = Encoding.UTF8.GetBytes(TopicIo.Point("s" + s, TopicIo.T0 + (step * 60_000L), value)),
            };
            producer.Produce(new TopicPartition(topic, keyed ? Partition.Any : new Partition((s + step) % 4)), message);
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Reads the forecasts until <paramref name="expected"/> distinct (series, origin) pairs arrived (or 60 s); returns how many.</summary>
    private static int DistinctForecasts(string bootstrap, string topic, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var records = TopicIo.ReadAll(bootstrap, topic, expected, TimeSpan.FromSeconds(5));
            var distinct = records.Select(r => (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64())).Distinct().Count();
            if (distinct >= expected || DateTime.UtcNow > deadline)
            {
                return distinct;
            }
        }
    }

    private static Dictionary<string, string> Environment(KafkaOptions kafka)
    {
        var environment = ChildEnvironment.For(kafka);
        environment["Kafka__AutoCommitIntervalMs"] = ChildEnvironment.Text(kafka.AutoCommitIntervalMs);
        environment["Kafka__Client__topic.metadata.refresh.interval.ms"] = "500";
        environment["Http__Port"] = "0";
        return environment;
    }
}
