using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;
using Forecaster.Worker.Tests.Transactions;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// The broker (a process of its own) stops answering for 30 s while two workers run against it, one at
/// least once and one exactly once; points are produced before, during (the test's producer buffers
/// them) and after. Both workers wait it out and resume: neither stops, readiness and
/// <c>forecaster_broker_up</c> go down during the outage and come back, liveness holds, and every point is
/// forecast: at least once, and exactly once in exactly-once mode.
/// </summary>
public class BrokerOutageTests
{
    /// <summary>The outage of the scenario (issue 5): the broker is paused this long.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    private const int Series = 8;
    private const int StepsPerPhase = 4;

    [Fact]
    public void Workers_wait_out_a_30_s_broker_outage_and_lose_nothing_and_readiness_shows_it()
    {
        using var broker = new BrokerProcess();
        var bootstrap = broker.BootstrapServers;
        var before = RestartTests.Points(Series, 0, StepsPerPhase);
        var during = RestartTests.Points(Series, StepsPerPhase, 2 * StepsPerPhase);
        var after = RestartTests.Points(Series, 2 * StepsPerPhase, 3 * StepsPerPhase);
        var expected = before.Count + during.Count + after.Count - Series;

        var atLeastOnce = Production(StateWorker.Kafka(bootstrap, "outage-alo"));
        var exactlyOnce = Production(TransactionalWorker.Kafka(bootstrap, "outage-eo"));
        using var input = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 1, RequestTimeoutMs = 120_000 }).Build();
        Produce(input, [atLeastOnce.InputTopic, exactlyOnce.InputTopic], before);

        using var alo = new StateWorker(atLeastOnce);
        using var eo = new TransactionalWorker(exactlyOnce);
        Assert.True(Distinct(atLeastOnce, before.Count - Series) >= before.Count - Series);
        Assert.True(Distinct(exactlyOnce, before.Count - Series) >= before.Count - Series);
        TopicIo.WaitFor(() => alo.Health.IsReady && eo.Health.IsReady, "both workers ready before the outage");

        broker.Pause();
        var resumeAt = DateTime.UtcNow + Outage;
        Produce(input, [atLeastOnce.InputTopic, exactlyOnce.InputTopic], during, flush: false);
        var down = SpinWait.SpinUntil(
            () => !alo.Health.IsReady && !eo.Health.IsReady && alo.Metrics.BrokerUp.Value == 0 && eo.Metrics.BrokerUp.Value == 0,
            resumeAt - DateTime.UtcNow);
        Assert.True(down, "readiness and forecaster_broker_up did not show the outage");
        Thread.Sleep(resumeAt - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero); // The outage itself, not a synchronisation.
        Assert.True(alo.Health.IsLive(TimeSpan.FromSeconds(60)) && eo.Health.IsLive(TimeSpan.FromSeconds(60)), "liveness failed during the outage");
        Assert.Null(alo.Loop.FatalError);
        Assert.Null(eo.Loop.FatalError);
        broker.Resume();

        Assert.Equal(0, input.Flush(TimeSpan.FromSeconds(60))); // Its requests outlast the outage (request.timeout.ms 120 s).
        Produce(input, [atLeastOnce.InputTopic, exactlyOnce.InputTopic], after);
        Assert.Equal(expected, Distinct(atLeastOnce, expected));
        var once = CommittedForecasts.Keys(exactlyOnce, expected);
        Assert.Equal(expected, once.Distinct().Count());
        Assert.Equal(expected, once.Count);
        TopicIo.WaitFor(() => alo.Health.IsReady && eo.Health.IsReady && alo.Metrics.BrokerUp.Value == 1 && eo.Metrics.BrokerUp.Value == 1, "readiness back after the outage");
        Assert.True(eo.IsRunning);
        alo.Stop();
        eo.Stop();
    }

    /// <summary>The production session timeout (45 s): a 30 s stall keeps the group membership.</summary>
    private static KafkaOptions Production(KafkaOptions kafka)
    {
        kafka.SessionTimeoutMs = 45_000;
        return kafka;
    }

    private static void Produce(IProducer<byte[], byte[]> producer, string[] topics, List<(string? Key, string Value)> points, bool flush = true)
    {
        foreach (var topic in topics)
        {
            foreach (var (key, value) in points)
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key!), Value = Encoding.UTF8.GetBytes(value) });
            }
        }

        if (flush)
        {
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }
    }

    /// <summary>Distinct (series, origin) pairs among the forecasts once <paramref name="expected"/> arrived (or 60 s).</summary>
    private static int Distinct(KafkaOptions kafka, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var distinct = CommittedForecasts.Keys(kafka, expected).Distinct().Count();
            if (distinct >= expected || DateTime.UtcNow > deadline)
            {
                return distinct;
            }
        }
    }
}
