using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

[Collection(MockClusterTests.Name)]
public class RebalanceTests(MockClusterFixture cluster)
{
    private const int Series = 16;

    /// <summary>
    /// With <paramref name="crawling"/>, interval checkpoints run every second and crawl (a series record
    /// every 40 ms, one shard paused at a time), so the revokes meet spread checkpoints in flight and must
    /// finish them first.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_worker_joining_then_leaving_moves_only_its_partitions_and_the_state_ends_equal_to_an_uninterrupted_run(bool crawling)
    {
        var interval = crawling ? 1 : 60;
        (int, int)? chunk = crawling ? (1, 40) : null;
        var chunks = Enumerable.Range(0, 3).Select(c => RestartTests.Points(Series, c * 10, (c + 1) * 10)).ToList();
        var total = chunks.Sum(c => c.Count);
        var reference = StateWorker.Kafka(cluster.BootstrapServers, "rb-ref");
        TopicIo.Produce(cluster.BootstrapServers, reference.InputTopic, chunks.SelectMany(c => c));
        using (var worker = new StateWorker(reference))
        {
            TopicIo.ReadAll(cluster.BootstrapServers, reference.ForecastTopic, total - Series);
            worker.Stop();
        }

        var kafka = StateWorker.Kafka(cluster.BootstrapServers, crawling ? "rb-crawl" : "rb");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, chunks[0]);
        using var a = new StateWorker(kafka, interval, chunk);
        TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, chunks[0].Count - Series);
        Assert.Equal(4, a.Health.AssignedPartitions);

        double movedSeries;
        using (var b = new StateWorker(kafka, interval, chunk))
        {
            TopicIo.WaitFor(() => a.Health.AssignedPartitions == 2 && b.Health.AssignedPartitions == 2 && b.Health.IsReady, "a 2/2 split");
            TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, chunks[1]);
            TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, chunks[0].Count + chunks[1].Count - Series);
            b.Stop();
            movedSeries = b.Metrics.SeriesRestored.Value;
            Assert.InRange(movedSeries, 1, Series - 1); // b restored what a checkpointed on revoke: its 2 partitions only.
            Assert.Equal(0, a.Metrics.SeriesRestored.Value); // a kept its other 2 partitions without a restore.
        }

        TopicIo.WaitFor(() => a.Health.AssignedPartitions == 4, "a to own all 4 partitions again");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, chunks[2]);
        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, total - Series);
        a.Stop();

        var origins = forecasts.Select(r => (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64())).Distinct().Count();
        Assert.Equal(total - Series, origins);
        Assert.Equal(0, a.Metrics.RestoreFailures.Value);
        Assert.Equal(movedSeries, a.Metrics.SeriesRestored.Value); // Only the 2 partitions coming back are restored.
        Assert.Equal(0, a.Metrics.CheckpointFailures.Value);
        if (crawling)
        {
            Assert.True(a.Metrics.CheckpointPause.WithLabels("interval").Count > 0, "no interval checkpoint ran");
        }

        var expected = StateWorker.SeriesBytes(StateWorker.ReadState(cluster.BootstrapServers, reference));
        var actual = StateWorker.SeriesBytes(StateWorker.ReadState(cluster.BootstrapServers, kafka));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[id]), $"series {id} differs from the uninterrupted run");
        }
    }
}
