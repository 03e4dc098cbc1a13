namespace Forecaster.Worker.Tests.Hosting;

[Collection(MockClusterTests.Name)]
public class EndToEndTests(MockClusterFixture cluster)
{
    private const long Step = 60_000;

    [Fact]
    public void Every_valid_point_yields_one_forecast_keyed_by_series_in_order_with_horizon_times()
    {
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "e2e", "e2e-group");
        string[] series = ["a", "b", "c", "d", "e"];
        const int PointsPerSeries = 30;
        var input = new List<(string?, string)>();
        for (var t = 0; t < PointsPerSeries; t++)
        {
            foreach (var s in series)
            {
                input.Add((TopicIo.SeriesId(s), TopicIo.Point(s, TopicIo.T0 + (t * Step), 10 + Math.Sin(t) + s[0])));
            }
        }

        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        using var worker = new WorkerRunner(kafka);

        var output = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, input.Count);
        worker.Stop();

        Assert.Equal(input.Count, output.Count);
        Assert.Equal(input.Count, (int)worker.Metrics.ForecastsPublished.Value);
        foreach (var s in series)
        {
            var mine = output.Where(r => TopicIo.Key(r) == TopicIo.SeriesId(s)).ToList();
            Assert.Single(mine.Select(r => r.Partition.Value).Distinct());
            var origins = mine.OrderBy(r => r.Offset.Value).Select(r => TopicIo.Json(r).GetProperty("ts").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(0, PointsPerSeries).Select(t => TopicIo.T0 + (t * Step)), origins);
            foreach (var record in mine)
            {
                var json = TopicIo.Json(record);
                Assert.Equal("m", json.GetProperty("metric").GetString());
                Assert.Equal(s, json.GetProperty("labels").GetProperty("s").GetString());
                var origin = json.GetProperty("ts").GetInt64();
                var horizons = json.GetProperty("horizons").EnumerateArray().Select(h => h.GetProperty("ts").GetInt64());
                Assert.Equal([origin + Step, origin + (2 * Step), origin + (3 * Step)], horizons);
            }
        }
    }
}
