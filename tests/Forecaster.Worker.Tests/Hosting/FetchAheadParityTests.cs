using System.Text;
using Forecaster.Worker.Tests.Checkpoints;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>
/// The fetch thread changes nothing a consumer of the forecasts can see: on the mock broker, with interval checkpoints
/// crawling (each shard's partition paused and resumed in turn while input arrives), a worker polling ahead publishes the
/// records of one polling on its loop's thread, byte for byte. Whether a pause meets records fetched ahead of it here is
/// up to timing; <see cref="FetchAheadTests"/> hold and put back such records deterministically.
/// </summary>
[Collection(MockClusterTests.Name)]
public class FetchAheadParityTests(MockClusterFixture cluster)
{
    private const int Series = 16;

    [Fact]
    public void Polling_ahead_publishes_what_polling_on_the_loop_thread_publishes_through_spread_checkpoints()
    {
        var first = RestartTests.Points(Series, 0, 20);
        var second = RestartTests.Points(Series, 20, 40);
        var inline = Run("fa-inline", fetchAhead: false, first, second);
        var ahead = Run("fa-ahead", fetchAhead: true, first, second);

        Assert.Equal(first.Count + second.Count - Series, inline.Count);
        Assert.Equal(inline, ahead);
    }

    private List<string> Run(string prefix, bool fetchAhead, List<(string?, string)> first, List<(string?, string)> second)
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, prefix);
        kafka.FetchAhead = fetchAhead;
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, first);
        using var worker = new StateWorker(kafka, intervalSeconds: 1, chunk: (1, 40));
        TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, first.Count - Series);
        TopicIo.WaitFor(() => worker.Metrics.CheckpointPause.WithLabels("interval").Count > 0, "an interval checkpoint");
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, second); // while checkpoints crawl, a shard paused at a time
        var output = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, first.Count + second.Count - Series);
        worker.Stop();

        Assert.Equal(0, worker.Metrics.CheckpointFailures.Value);
        return [.. output.Select(r => TopicIo.Key(r) + " " + Encoding.UTF8.GetString(r.Message.Value)).Order(StringComparer.Ordinal)];
    }
}
