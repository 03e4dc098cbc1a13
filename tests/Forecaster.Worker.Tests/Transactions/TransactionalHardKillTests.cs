using Forecaster.Worker.Tests.Checkpoints;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>
/// Exactly-once workers killed mid-transaction (records handled and produced, not committed), the broker
/// in a process of its own: over the whole run each (series, origin ts) is forecast exactly once, none is
/// missing, and the state ends bit-identical to an uninterrupted run.
/// </summary>
public class TransactionalHardKillTests
{
    private const int Series = 8;
    private const int HalfSteps = 3;
    private const int Kills = 3;
    private const string Published = "forecaster_forecasts_published_total";

    [Fact]
    public void Workers_killed_mid_transaction_leave_every_forecast_exactly_once()
    {
        using var broker = new BrokerProcess();
        var bootstrap = broker.BootstrapServers;
        var halves = Enumerable.Range(0, (2 * Kills) + 1).Select(h => RestartTests.Points(Series, h * HalfSteps, (h + 1) * HalfSteps)).ToList();
        var total = halves.Sum(h => h.Count);

        var reference = ExactlyOnceSettings.Kafka(bootstrap, "eo-hk-ref");
        TopicIo.Produce(bootstrap, reference.InputTopic, halves.SelectMany(h => h));
        using (var worker = new StateWorker(reference))
        {
            Assert.Equal(total - Series, CommittedForecasts.Keys(reference, total - Series).Count);
            worker.Stop();
        }

        // Commits come 3 s after a transaction's first record: the kill lands well inside the open transaction.
        var kafka = ExactlyOnceSettings.Kafka(bootstrap, "eo-hk");
        kafka.TransactionIntervalMs = 3000;
        kafka.SessionTimeoutMs = 6000;
        var produced = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            TopicIo.Produce(bootstrap, kafka.InputTopic, halves[2 * kill]);
            produced += halves[2 * kill].Count;
            using var child = new TransactionalChild(kafka);
            CommittedForecasts.AssertExactlyOnce(kafka, produced - Series, () => child.Tail);

            var before = child.Scrape(Published)!.Value;
            TopicIo.Produce(bootstrap, kafka.InputTopic, halves[(2 * kill) + 1]);
            TopicIo.WaitFor(() => child.Scrape(Published) >= before + halves[(2 * kill) + 1].Count, "the next half handled: " + child.Tail);
            child.Kill();
            CommittedForecasts.AssertExactlyOnce(kafka, produced - Series, () => child.Tail); // Nothing of the killed transaction.
            produced += halves[(2 * kill) + 1].Count;
        }

        TopicIo.Produce(bootstrap, kafka.InputTopic, halves[^1]);
        using (var last = new StateWorker(kafka))
        {
            CommittedForecasts.AssertExactlyOnce(kafka, total - Series);
            last.Stop();
            Assert.True(last.Metrics.SeriesRestored.Value > 0);
        }

        var expected = StateWorker.SeriesBytes(StateWorker.ReadState(bootstrap, reference));
        var actual = StateWorker.SeriesBytes(StateWorker.ReadState(bootstrap, kafka));
        Assert.Equal(Series, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[id]), $"series {id} differs from the uninterrupted run");
        }
    }
}
