using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Worker processes killed without shutdown mid-stream, the broker in a process of its own: after a new
/// worker takes over, every series' state equals that of an uninterrupted run over the same input, bit
/// for bit, and every point was forecast at least once. The killed workers' interval checkpoints crawl
/// (a series record a second), and two of the three kills land inside one, before its commit marker. Half the series
/// match a profile of another horizon, so each shard holds two model groups and checkpoints both models.
/// </summary>
public partial class HardKillTests
{
    private const int Series = 12;
    private const int StepsPerChunk = 8;
    private const int Chunks = 4;

    /// <summary>Series s0 to s5 forecast 5 steps ahead instead of 3: a model shape of their own.</summary>
    private static Worker.Profiles.ProfilesOptions Profiles() => new()
    {
        Rules = [new() { Name = "longer", Labels = new() { ["s"] = "s[0-5]" }, Horizon = "5m" }],
    };

    [Fact]
    public void Killed_workers_lose_nothing_and_the_state_ends_equal_to_an_uninterrupted_run()
    {
        using var broker = new BrokerProcess();
        var bootstrap = broker.BootstrapServers;
        var chunks = Enumerable.Range(0, Chunks).Select(c => RestartTests.Points(Series, c * StepsPerChunk, (c + 1) * StepsPerChunk)).ToList();
        var total = chunks.Sum(c => c.Count);

        var reference = StateWorker.Kafka(bootstrap, "hk-ref");
        TopicIo.Produce(bootstrap, reference.InputTopic, chunks.SelectMany(c => c));
        using (var worker = new StateWorker(reference, profiles: Profiles()))
        {
            TopicIo.ReadAll(bootstrap, reference.ForecastTopic, total - Series);
            worker.Stop();
        }

        var kafka = StateWorker.Kafka(bootstrap, "hk");
        var random = new Random(5);
        var produced = 0;
        for (var kill = 0; kill < Chunks - 1; kill++)
        {
            // The first worker gets its whole chunk; the others half of it first and the rest just before
            // their kill, so a checkpoint is sure to begin after the kill is armed.
            var half = kill == 0 ? chunks[kill].Count : chunks[kill].Count / 2;
            TopicIo.Produce(bootstrap, kafka.InputTopic, chunks[kill].Take(half));
            using var begun = new BlockingCollection<(int Partition, long Sequence)>();
            using var child = new ChildProcess("forecaster.dll", ["run"], Environment(kafka), onLine: line =>
            {
                if (CheckpointBegun().Match(line) is { Success: true } m)
                {
                    begun.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
                }
            });

            // Kill once a random share of what it was given has been forecast: at a different moment each
            // time (the newest point of each series waits in its open bucket).
            var target = produced + random.Next(1, half - Series + 1);
            var seen = DistinctForecasts(bootstrap, kafka, target);
            Assert.True(seen >= target, $"worker {kill} forecast {seen} of {target} points before the kill: {child.Tail}");
            produced += chunks[kill].Count;
            if (kill == 0)
            {
                child.Kill();
                continue;
            }

            // The other kills land inside a spread checkpoint: right after a shard's job began (its records
            // crawl out one a second), so its commit marker never makes it.
            while (begun.TryTake(out _))
            {
            }

            TopicIo.Produce(bootstrap, kafka.InputTopic, chunks[kill].Skip(half));
            Assert.True(begun.TryTake(out var job, TimeSpan.FromSeconds(30)), "no checkpoint began: " + child.Tail);
            child.Kill();
            var markers = Sequences(bootstrap, kafka.StateTopic, job.Partition, StateRecordKind.Commit);
            Assert.DoesNotContain(job.Sequence, markers);
        }

        // The markers the killed workers completed: counted before the last worker writes its own at shutdown.
        var committed = Sequences(bootstrap, kafka.StateTopic, partition: null, StateRecordKind.Commit).Count;
        TopicIo.Produce(bootstrap, kafka.InputTopic, chunks[^1]);
        using (var last = new StateWorker(kafka, profiles: Profiles()))
        {
            Assert.Equal(total - Series, DistinctForecasts(bootstrap, kafka, total - Series));
            last.Stop();
            Assert.Equal(0, last.Metrics.RestoreFailures.Value);
            // It restores what a completed checkpoint left. Under load every checkpoint of the killed workers
            // can have been cut short (no commit marker at all): then it replays the input from the start,
            // which the assertions below check just as well.
            Assert.True(last.Metrics.SeriesRestored.Value > 0 || committed == 0, $"{committed} commit markers, yet no series restored");
        }

        var expectedState = StateWorker.ReadState(bootstrap, reference);
        var actualState = StateWorker.ReadState(bootstrap, kafka);
        string[] ShapeModels(RestoredShard?[] state) =>
            [.. state.Select((shard, p) => (shard, p)).Where(x => x.shard is not null).SelectMany(x => x.shard!.ShapeModels.Keys.Select(shape => $"{x.p}/{shape}")).Order()];
        Assert.NotEmpty(ShapeModels(expectedState)); // the profile's group checkpointed its model beside group 0's
        Assert.Equal(ShapeModels(expectedState), ShapeModels(actualState));
        var expected = StateWorker.SeriesBytes(expectedState);
        var actual = StateWorker.SeriesBytes(actualState);
        Assert.Equal(Series, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[id]), $"series {id} differs from the uninterrupted run");
        }
    }

    /// <summary>The sequences of the records of <paramref name="kind"/> in one partition of the state topic (null: all).</summary>
    private static List<long> Sequences(string bootstrap, string stateTopic, int? partition, StateRecordKind kind) =>
        [.. TopicIo.ReadAll(bootstrap, stateTopic, 0, TimeSpan.FromSeconds(10))
            .Where(r => (partition is null || r.Partition.Value == partition) && r.Message.Value is not null)
            .Select(r => StateEnvelope.Unwrap(r.Message.Value))
            .Where(e => e.Kind == kind)
            .Select(e => e.Sequence)];

    [GeneratedRegex(@"\[(\d+)\] begun: sequence (\d+)")]
    private static partial Regex CheckpointBegun();

    /// <summary>Reads the forecasts until <paramref name="expected"/> distinct (series, origin) pairs arrived (or 60 s); returns how many.</summary>
    private static int DistinctForecasts(string bootstrap, KafkaOptions kafka, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var records = TopicIo.ReadAll(bootstrap, kafka.ForecastTopic, expected, TimeSpan.FromSeconds(5));
            var distinct = records.Select(r => (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64())).Distinct().Count();
            if (distinct >= expected || DateTime.UtcNow > deadline)
            {
                return distinct;
            }
        }
    }

    private static Dictionary<string, string> Environment(KafkaOptions kafka)
    {
        var environment = ChildEnvironment.For(kafka);
        environment["Kafka__AutoCommitIntervalMs"] = ChildEnvironment.Text(kafka.AutoCommitIntervalMs);
        environment["Kafka__Client__topic.metadata.refresh.interval.ms"] = "500";
        environment["Http__Port"] = "0";
        environment["State__CheckpointChunkSeries"] = "1";
        environment["State__CheckpointChunkIntervalMs"] = "1000"; // A wide window: under load the kill reached a job 300 ms apart after its marker.
        environment["Logging__LogLevel__Forecaster.Worker.Hosting.ConsumeLoop"] = "Debug";
        var rule = Profiles().Rules![0];
        environment["Profiles__Rules__0__Name"] = rule.Name!;
        environment["Profiles__Rules__0__Labels__s"] = rule.Labels!["s"];
        environment["Profiles__Rules__0__Horizon"] = rule.Horizon!;
        return environment;
    }
}
