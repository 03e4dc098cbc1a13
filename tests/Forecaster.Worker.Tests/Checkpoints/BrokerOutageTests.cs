using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;
using Forecaster.Worker.Tests.Transactions;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// The broker (a process of its own) stops answering for 30 s while four workers run against it: at least
/// once and exactly once, each with the production session timeout (the group survives) and with a 6 s
/// one (the session expires and the partitions are lost and assigned again). Points are produced
/// before, during (the test's producer buffers them) and after. Every worker waits it out and resumes:
/// none stops, readiness and <c>forecaster_broker_up</c> go down during the outage and come back,
/// liveness holds, and every point is forecast: at least once, and exactly once in exactly-once mode.
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
        // librdkafka's mock cluster sometimes closes its listening socket when its process is continued (seen
        // about one run in three under load: the process alive, no LISTEN socket on its port, every client
        // refused for good). That is the mock's, not the worker's: such a run is void and the scenario runs
        // once more on a fresh broker. Every assertion below holds in the run that counts.
        // Seen twice in a row in a fresh-clone CI run on 2026-12-07 (Zen 3, unloaded): up to three runs.
        if (!Scenario() && !Scenario())
        {
            Assert.True(Scenario(), "the mock broker stopped listening on resume three times in a row");
        }
    }

    /// <summary>The scenario; false when the mock broker stopped listening on resume (the run is void).</summary>
    private static bool Scenario()
    {
        using var broker = new BrokerProcess();
        var bootstrap = broker.BootstrapServers;
        var before = RestartTests.Points(Series, 0, StepsPerPhase);
        var during = RestartTests.Points(Series, StepsPerPhase, 2 * StepsPerPhase);
        var after = RestartTests.Points(Series, 2 * StepsPerPhase, 3 * StepsPerPhase);
        var expected = before.Count + during.Count + after.Count - Series;

        // With the production session timeout the group survives the stall; with 6 s the session expires,
        // the partitions are lost and assigned again (exactly once: the open transaction is aborted).
        var atLeastOnce = Session(StateWorker.Kafka(bootstrap, "outage-alo"), 45_000);
        var exactlyOnce = Session(ExactlyOnceSettings.Kafka(bootstrap, "outage-eo"), 45_000);
        var atLeastOnceLost = Session(StateWorker.Kafka(bootstrap, "outage-alo-lost"), 6_000);
        var exactlyOnceLost = Session(ExactlyOnceSettings.Kafka(bootstrap, "outage-eo-lost"), 6_000);
        string[] topics = [atLeastOnce.InputTopic, exactlyOnce.InputTopic, atLeastOnceLost.InputTopic, exactlyOnceLost.InputTopic];
        using var input = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 1, RequestTimeoutMs = 120_000 }).Build();
        Produce(input, topics, before);

        using var alo = new StateWorker(atLeastOnce);
        using var eo = new StateWorker(exactlyOnce);
        using var aloLost = new StateWorker(atLeastOnceLost);
        using var eoLost = new StateWorker(exactlyOnceLost);
        (WorkerHealth Health, ForecasterMetrics Metrics, ConsumeLoop Loop)[] workers =
            [(alo.Health, alo.Metrics, alo.Loop), (eo.Health, eo.Metrics, eo.Loop), (aloLost.Health, aloLost.Metrics, aloLost.Loop), (eoLost.Health, eoLost.Metrics, eoLost.Loop)];
        foreach (var kafka in new[] { atLeastOnce, exactlyOnce, atLeastOnceLost, exactlyOnceLost })
        {
            Assert.True(Distinct(kafka, before.Count - Series) >= before.Count - Series);
        }

        TopicIo.WaitFor(() => workers.All(w => w.Health.IsReady), "every worker ready before the outage");

        broker.Pause();
        var resumeAt = DateTime.UtcNow + Outage;
        Produce(input, topics, during, flush: false);
        var down = SpinWait.SpinUntil(() => workers.All(w => !w.Health.IsReady && w.Metrics.BrokerUp.Value == 0), resumeAt - DateTime.UtcNow);
        Assert.True(down, "readiness and forecaster_broker_up did not show the outage");
        Thread.Sleep(resumeAt - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero); // The outage itself, not a synchronisation.
        Assert.All(workers, w => Assert.True(w.Health.IsLive(TimeSpan.FromSeconds(60)), "liveness failed during the outage"));
        Assert.All(workers, w => Assert.Null(w.Loop.FatalError));
        broker.Resume();
        if (!Listens(bootstrap))
        {
            Assert.False(broker.HasExited, "the mock broker process ended during the outage");
            return false;
        }

        Assert.Equal(0, input.Flush(TimeSpan.FromSeconds(60))); // Its requests outlast the outage (request.timeout.ms 120 s).
        Produce(input, topics, after);
        Assert.Equal(expected, Distinct(atLeastOnce, expected));
        Assert.Equal(expected, Distinct(atLeastOnceLost, expected));
        foreach (var kafka in new[] { exactlyOnce, exactlyOnceLost })
        {
            var once = CommittedForecasts.Keys(kafka, expected);
            Assert.Equal(expected, once.Distinct().Count());
            Assert.Equal(expected, once.Count);
        }

        TopicIo.WaitFor(() => workers.All(w => w.Health.IsReady && w.Metrics.BrokerUp.Value == 1), "readiness back after the outage");
        Assert.Equal(0, alo.Metrics.Rebalances.WithLabels("lost").Value + eo.Metrics.Rebalances.WithLabels("lost").Value);
        Assert.True(aloLost.Metrics.Rebalances.WithLabels("lost").Value > 0 && eoLost.Metrics.Rebalances.WithLabels("lost").Value > 0, "the 6 s sessions survived the outage");
        Assert.True(eo.IsRunning && eoLost.IsRunning);
        alo.Stop();
        eo.Stop();
        aloLost.Stop();
        eoLost.Stop();
        return true;
    }

    /// <summary>Whether the broker accepts a TCP connection again within 10 s of being continued.</summary>
    private static bool Listens(string bootstrap)
    {
        var (host, port) = (bootstrap.Split(':')[0], int.Parse(bootstrap.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(host, port);
                return true;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100); // Polling a socket, with a deadline.
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
    }

    private static KafkaOptions Session(KafkaOptions kafka, int timeoutMs)
    {
        kafka.SessionTimeoutMs = timeoutMs;
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
