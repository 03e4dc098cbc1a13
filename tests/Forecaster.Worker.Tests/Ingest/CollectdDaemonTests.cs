using System.Text;
using System.Text.Json;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>The real collectd writing to the mock broker: its records decode, and a worker forecasts them with no dead letter.</summary>
[Collection(MockClusterTests.Name)]
public class CollectdDaemonTests(MockClusterFixture cluster)
{
    private static readonly string[] Plugins = ["collectd_cpu_total{", "collectd_load_shortterm{", "collectd_memory{", "collectd_interface_if_octets_rx_total{"];

    [Fact]
    public void Records_of_the_real_daemon_decode_and_a_worker_forecasts_them_without_dead_letters()
    {
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "collectd", "collectd-group");
        const string RatesTopic = "collectd.rates";
        cluster.CreateTopic(kafka.InputTopic, 1); // write_kafka keys each record at random: one partition keeps a series in one shard
        cluster.CreateTopic(RatesTopic, 1);
        var ingest = new IngestOptions { CollectdStoreRates = false, TopicFormats = { [kafka.InputTopic] = InputFormat.Collectd } };

        using var daemon = new CollectdDaemon(cluster.BootstrapServers, kafka.InputTopic, RatesTopic);
        using var worker = new WorkerRunner(kafka, new SeriesOptions { StepSeconds = 1 }, ingest: ingest);
        TopicIo.WaitFor(() => worker.Metrics.ForecastsPublished.Value >= 400 || daemon.HasExited, "400 forecasts of collectd's points", 40);
        Assert.False(daemon.HasExited, "collectd exited: " + daemon.Tail);
        daemon.Kill();
        worker.Stop();

        var invalid = RejectReasons.All.ToDictionary(r => r, r => worker.Metrics.RecordsInvalid.WithLabels(r).Value);
        Assert.All(invalid, pair => Assert.True(pair.Value == 0, $"{pair.Value} records dead-lettered as {pair.Key}"));
        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, (int)worker.Metrics.ForecastsPublished.Value);
        var keys = forecasts.Select(TopicIo.Key).ToHashSet();
        Assert.All(Plugins, p => Assert.Contains(keys, k => k.StartsWith(p, StringComparison.Ordinal)));

        // A counter is forecast as its per-second rate: idle jiffies grow by at most USER_HZ (100) a second per cpu, the raw counter is far above.
        var idle = forecasts.Where(r => TopicIo.Key(r).StartsWith("collectd_cpu_total{", StringComparison.Ordinal) && TopicIo.Key(r).Contains("type=\"idle\"", StringComparison.Ordinal))
            .SelectMany(r => TopicIo.Json(r).GetProperty("horizons").EnumerateArray())
            .Select(h => h.GetProperty("yhat"))
            .Where(y => y.ValueKind == JsonValueKind.Number)
            .Select(y => y.GetDouble())
            .ToList();
        Assert.NotEmpty(idle);
        Assert.All(idle, y => Assert.InRange(y, -1000, 1000));

        AssertAllDecode(kafka.InputTopic, storeRates: false, expectNulls: false);
        AssertAllDecode(RatesTopic, storeRates: true, expectNulls: true);
    }

    /// <summary>Every record on the topic decodes with no reject reason; with StoreRates the first rate of each derive is null (skipped).</summary>
    private void AssertAllDecode(string topic, bool storeRates, bool expectNulls)
    {
        var records = TopicIo.ReadAll(cluster.BootstrapServers, topic, 1);
        Assert.True(records.Count >= 20, $"only {records.Count} records on {topic}");
        var decoder = new RecordDecoder(new IngestOptions { CollectdStoreRates = storeRates });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var nulls = 0;
        var counters = 0;
        foreach (var record in records)
        {
            var reason = decoder.Decode(record.Message.Value, InputFormat.Auto, now);
            Assert.True(reason is null, $"{reason}: {Encoding.UTF8.GetString(record.Message.Value)}");
            nulls += decoder.Record.Fields.SkippedCount;
            counters += Enumerable.Range(0, decoder.Record.FieldCount).Count(i => decoder.Record.FieldKind(i) == MetricKind.Counter);
        }

        Assert.Equal(expectNulls, nulls > 0);
        Assert.Equal(!storeRates, counters > 0);
    }
}
