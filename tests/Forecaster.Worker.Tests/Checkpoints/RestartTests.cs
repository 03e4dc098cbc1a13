using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

[Collection(MockClusterTests.Name)]
public class RestartTests(MockClusterFixture cluster)
{
    private const long Step = 60_000;

    public static List<(string?, string)> Points(int series, int from, int to)
    {
        var input = new List<(string?, string)>();
        for (var t = from; t < to; t++)
        {
            for (var s = 0; s < series; s++)
            {
                var value = 50 + (10 * Math.Sin((t + s) * 0.5)) + s;
                input.Add((TopicIo.SeriesId("s" + s), TopicIo.Point("s" + s, TopicIo.T0 + (t * Step), value)));
            }
        }

        return input;
    }

    [Fact]
    public void After_a_graceful_stop_the_next_worker_restores_and_ends_bit_identical_to_an_uninterrupted_run()
    {
        const int Series = 12;
        var first = Points(Series, 0, 20);
        var second = Points(Series, 20, 45);

        var reference = StateWorker.Kafka(cluster.BootstrapServers, "ckpt-ref");
        TopicIo.Produce(cluster.BootstrapServers, reference.InputTopic, [.. first, .. second]);
        using (var worker = new StateWorker(reference))
        {
            TopicIo.WaitFor(() => worker.Health.IsReady, "ready");
            TopicIo.ReadAll(cluster.BootstrapServers, reference.ForecastTopic, first.Count + second.Count - Series);
            worker.Stop();
        }

        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "ckpt-restart");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, first);
        using (var worker = new StateWorker(kafka))
        {
            TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, first.Count - Series);
            worker.Stop();
            Assert.True(worker.Metrics.CheckpointBytes.Value > 0);
        }

        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, second);
        using var restarted = new StateWorker(kafka);
        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, first.Count + second.Count - Series);
        restarted.Stop();

        Assert.Equal(second.Count, restarted.Loop.ConsumedRecords);
        Assert.Equal(Series, (int)restarted.Metrics.SeriesRestored.Value);
        Assert.Equal(0, restarted.Metrics.RestoreFailures.Value);
        var origins = forecasts.Select(r => (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64())).ToList();
        Assert.Equal(origins.Count, origins.Distinct().Count());
        Assert.Equal(first.Count + second.Count - Series, origins.Count); // The last bucket of each series stays open (reorder window 1).

        var expected = StateWorker.ReadState(cluster.BootstrapServers, reference);
        var actual = StateWorker.ReadState(cluster.BootstrapServers, kafka);
        Assert.Equal(expected.Select(s => s?.InputOffset), actual.Select(s => s?.InputOffset));
        var expectedSeries = StateWorker.SeriesBytes(expected);
        var actualSeries = StateWorker.SeriesBytes(actual);
        Assert.Equal(Series, expectedSeries.Count);
        Assert.Equal(expectedSeries.Keys.Order(), actualSeries.Keys.Order());
        foreach (var (id, bytes) in expectedSeries)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actualSeries[id]), $"series {id} differs from the uninterrupted run");
        }
    }
}
