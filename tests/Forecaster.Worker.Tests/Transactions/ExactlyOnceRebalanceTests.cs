using Forecaster.Worker.Tests.Checkpoints;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>
/// Exactly-once workers hand partitions over in a cooperative rebalance: the revoking side commits its
/// transaction (forecasts, checkpoints, offsets) before it lets go, the receiving side restores the
/// committed state; no forecast is repeated or missing.
/// </summary>
[Collection(MockClusterTests.Name)]
public class ExactlyOnceRebalanceTests(MockClusterFixture cluster)
{
    private const int Series = 16;

    [Fact]
    public void A_worker_joining_then_leaving_leaves_every_forecast_exactly_once()
    {
        var chunks = Enumerable.Range(0, 3).Select(c => RestartTests.Points(Series, c * 6, (c + 1) * 6)).ToList();
        var total = chunks.Sum(c => c.Count);
        var kafka = ExactlyOnceSettings.Kafka(cluster.BootstrapServers, "eo-rb");
        var second = ExactlyOnceSettings.Kafka(cluster.BootstrapServers, "eo-rb");
        second.TransactionalId = "eo-rb-tx-b";

        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, chunks[0]);
        using var a = new StateWorker(kafka);
        CommittedForecasts.AssertExactlyOnce(kafka, chunks[0].Count - Series);

        using (var b = new StateWorker(second))
        {
            TopicIo.WaitFor(() => a.Health.AssignedPartitions == 2 && b.Health.AssignedPartitions == 2 && b.Health.IsReady, "a 2/2 split");
            TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, chunks[1]);
            CommittedForecasts.AssertExactlyOnce(kafka, chunks[0].Count + chunks[1].Count - Series);
            b.Stop();
            Assert.InRange(b.Metrics.SeriesRestored.Value, 1, Series - 1);
            Assert.True(b.Metrics.Transactions.WithLabels("committed").Value > 0);
        }

        TopicIo.WaitFor(() => a.Health.AssignedPartitions == 4 && a.Health.IsReady, "a to own all 4 partitions again");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, chunks[2]);
        CommittedForecasts.AssertExactlyOnce(kafka, total - Series);
        a.Stop();
        Assert.Equal(0, a.Metrics.Transactions.WithLabels("aborted").Value);
        Assert.Equal(0, a.Metrics.RestoreFailures.Value);
    }
}
