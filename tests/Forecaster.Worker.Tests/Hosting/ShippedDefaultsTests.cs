using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>
/// Issue 11's first test, on the mock broker: one worker with the shipped config/appsettings.json's Forecast and Series
/// sections (seasons 1d and 1w, horizon 1h, `Series:MinStep` 5m), fed series 10 s, 15 s, 60 s, 5 min and 1 h apart for
/// 12 hours: each gets its step, its horizon counted in it, and one forecast record per closed bucket.
/// </summary>
[Collection(MockClusterTests.Name)]
public class ShippedDefaultsTests(MockClusterFixture cluster)
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Series_at_five_spacings_get_their_step_and_horizon_and_one_record_per_closed_bucket()
    {
        var (forecast, series) = Shipped();
        Assert.Equal(["1d", "1w"], forecast.Seasons ?? []); // what this test is about
        Assert.Equal(("1h", 300), (forecast.Horizon, series.MinStep));
        (string Name, long Spacing)[] spacings = [("s10", 10_000), ("s15", 15_000), ("s60", 60_000), ("m5", 300_000), ("h1", Hour)];
        var input = new List<(string?, string)>();
        for (var t = 0L; t < 12 * Hour; t += 5_000)
        {
            foreach (var (name, spacing) in spacings.Where(s => t % s.Spacing == 0))
            {
                input.Add((TopicIo.SeriesId(name), TopicIo.Point(name, TopicIo.T0 + t, 100 + (50 * Math.Sin(2 * Math.PI * t / (24.0 * Hour))))));
            }
        }

        var expected = spacings.ToDictionary(s => s.Name, s => s.Spacing < 300_000 ? 143 : (int)(12 * Hour / Math.Max(s.Spacing, 300_000)));
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "shipped", "shipped-group");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        using var worker = new WorkerRunner(kafka, series, forecast);

        var output = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, expected.Values.Sum(), TimeSpan.FromSeconds(60));
        worker.Stop();

        foreach (var (name, spacing) in spacings)
        {
            var records = output.Where(r => TopicIo.Key(r) == TopicIo.SeriesId(name)).Select(TopicIo.Json).ToList();
            var step = Math.Max(spacing, 300_000);
            Assert.Equal((name, expected[name]), (name, records.Count));
            Assert.All(records, r => Assert.Equal(
                (name, step / 1000.0, (int)(step / spacing), step == Hour ? 1 : 12),
                (name, r.GetProperty("step_s").GetDouble(), r.GetProperty("points").GetInt32(), r.GetProperty("horizons").GetArrayLength())));
        }

        Assert.Equal(expected.Values.Sum(), output.Count);
    }

    [Fact]
    public void A_restart_restores_every_model_group_and_forecasts_as_an_uninterrupted_run()
    {
        var (forecast, series) = Shipped();
        (string Name, long Spacing)[] spacings = [("a15", 15_000), ("b15", 15_000), ("c15", 15_000), ("d1h", Hour), ("e1h", Hour)];
        List<(string?, string)> Points(long from, long to)
        {
            var points = new List<(string?, string)>();
            for (var t = from; t < to; t += 15_000)
            {
                foreach (var (name, spacing) in spacings.Where(s => t % s.Spacing == 0))
                {
                    points.Add((TopicIo.SeriesId(name), TopicIo.Point(name, TopicIo.T0 + t, 100 + (50 * Math.Sin(2 * Math.PI * t / (24.0 * Hour))) + name[0])));
                }
            }

            return points;
        }

        var first = Points(0, 6 * Hour);
        var second = Points(6 * Hour, 10 * Hour);
        const int Expected = (3 * 119) + (2 * 10); // a 5-minute bucket's forecast when the next begins; hourly points at once
        const int FirstPart = (3 * 71) + (2 * 6);

        var reference = Checkpoints.StateWorker.Kafka(cluster.BootstrapServers, "shipped-ref");
        TopicIo.Produce(cluster.BootstrapServers, reference.InputTopic, [.. first, .. second]);
        List<Confluent.Kafka.ConsumeResult<byte[], byte[]>> uninterrupted;
        using (var worker = new Checkpoints.StateWorker(reference, series: series, forecast: forecast))
        {
            uninterrupted = TopicIo.ReadAll(cluster.BootstrapServers, reference.ForecastTopic, Expected, TimeSpan.FromSeconds(60));
            worker.Stop();
        }

        var kafka = Checkpoints.StateWorker.Kafka(cluster.BootstrapServers, "shipped-restart");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, first);
        using (var worker = new Checkpoints.StateWorker(kafka, series: series, forecast: forecast))
        {
            TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, FirstPart, TimeSpan.FromSeconds(60));
            worker.Stop();
        }

        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, second);
        using var restarted = new Checkpoints.StateWorker(kafka, series: series, forecast: forecast);
        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, Expected, TimeSpan.FromSeconds(60));
        restarted.Stop();

        Assert.Equal(5, (int)restarted.Metrics.SeriesRestored.Value);
        Assert.Equal(0, restarted.Metrics.RestoreFailures.Value);
        var expected = uninterrupted.ToDictionary(r => (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64()), r => System.Text.Encoding.UTF8.GetString(r.Message.Value));
        var actual = forecasts.Select(r => (Key: (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64()), Value: System.Text.Encoding.UTF8.GetString(r.Message.Value))).ToList();
        Assert.Equal(Expected, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Select(a => a.Key).Distinct().Order());
        Assert.All(actual, a => Assert.Equal(expected[a.Key], a.Value)); // every record, before and after the restart, as the uninterrupted run's

        // What compaction would leave of the state topic restores the same groups: shape models and every series' record.
        var settings = forecast.ToSettings();
        var profile = Worker.Profiles.DefaultProfile.From(forecast, series);
        var full = Restorer(kafka.StateTopic, settings);
        var compacted = Restorer(Checkpoints.CompactedLog.Copy(cluster.BootstrapServers, kafka.StateTopic), settings);
        var shapes = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < 4; p++)
        {
            var (a, b) = (full.Read(kafka.InputTopic, p, out _), compacted.Read(kafka.InputTopic, p, out _));
            Assert.Equal(a is null, b is null);
            if (a is null || b is null)
            {
                continue;
            }

            Assert.Equal(a.InputOffset, b.InputOffset);
            Assert.Equal(a.ShapeModels.Keys.Order(StringComparer.Ordinal), b.ShapeModels.Keys.Order(StringComparer.Ordinal));
            shapes.UnionWith(a.ShapeModels.Keys);
            Assert.Equal(Payloads(a, settings, profile), Payloads(b, settings, profile));
        }

        Assert.Equal(["s24w168x1h1q0.1_0.5_0.9", "s288w168x12h12q0.1_0.5_0.9"], shapes.Order(StringComparer.Ordinal));
    }

    private StateRestorer Restorer(string stateTopic, Core.Forecasting.ForecastSettings settings) =>
        new(new Confluent.Kafka.ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "state-reader", EnableAutoCommit = false, EnablePartitionEof = true }, stateTopic, settings, TimeSpan.FromSeconds(20));

    /// <summary>Each restored series' record, encoded under the settings of its group (the worker's own, or its profile's shape at its step).</summary>
    private static Dictionary<string, string> Payloads(RestoredShard shard, Core.Forecasting.ForecastSettings settings, Worker.Profiles.Profile profile) =>
        shard.Series.ToDictionary(e => e.Id, e =>
        {
            var own = e.State.Fits(settings) ? settings : Worker.Profiles.ModelShapes.For(settings, profile, e.Timeline.StepMs);
            return Convert.ToBase64String(new SeriesEntryCodec(own).Encode(e));
        });

    /// <summary>The Forecast and Series sections of config/appsettings.json as the worker binds them, with a small LSTM (its size is not the subject).</summary>
    private static (ForecastOptions Forecast, SeriesOptions Series) Shipped()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Deploy.RepositoryFiles.Path("config", "appsettings.json"))
            .AddInMemoryCollection([new("Kafka:BootstrapServers", "b:9092"), new("Forecast:HiddenSize", "4")]).Build();
        using var services = new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();
        return (services.GetRequiredService<IOptions<ForecastOptions>>().Value, services.GetRequiredService<IOptions<SeriesOptions>>().Value);
    }
}
