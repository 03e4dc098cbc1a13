using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>Re-keying unkeyed and mis-keyed input through the repartition topic (issue 14 item 1), with the broker-free driver.</summary>
public class RepartitionDriverTests
{
    private const int Points = 40;

    /// <summary>The first point's minute before the driver's clock (points ahead of it by more than Ingest:MaxFutureSkewSeconds are refused).</summary>
    private const int First = -Points;
    private static readonly string SeriesKey = TopicIo.SeriesId("a");

    private static TopicPartition[] AllPartitions() =>
        [.. Enumerable.Range(0, 4).Select(LoopDriver.Input), .. Enumerable.Range(0, 4).Select(p => new TopicPartition(LoopDriver.RepartitionTopic, p))];

    private static StateOptions Checkpoints() => new() { CheckpointIntervalSeconds = 1, RestoreThreads = 1 };

    /// <summary>The reference: the same points keyed by series in one input partition, nothing re-keyed.</summary>
    private static List<(string Key, string Value)> KeyedRun()
    {
        using var driver = new LoopDriver();
        driver.Assign(AllPartitions()).Spread("a", First, Points, _ => 0, SeriesKey)
            .Until("every point forecast", () => driver.Consumer.Stored.GetValueOrDefault(LoopDriver.Input(0)) == Points - 1);
        driver.Run();
        Assert.Equal(0, driver.Metrics.PointsRepartitioned.Value);
        Assert.Empty(driver.Cluster.ReadTopic(LoopDriver.RepartitionTopic));
        return driver.Forecasts();
    }

    [Fact]
    public void Unkeyed_points_of_one_series_over_four_partitions_end_in_one_shard_each_forecast_once()
    {
        var reference = KeyedRun();
        using var driver = new LoopDriver();
        driver.Assign(AllPartitions()).Spread("a", First, Points, i => (i - First) % 4)
            .Until("every point forecast", () => driver.Forecasts().Count == reference.Count && driver.Consumer.Stored.Count == 5);
        driver.Run();

        Assert.Equal(Points, driver.Metrics.PointsRepartitioned.Value);
        var rekeyed = driver.Cluster.ReadTopic(LoopDriver.RepartitionTopic);
        Assert.Equal(Points, rekeyed.Count);
        Assert.All(rekeyed, r => Assert.Equal(SeriesKey, Encoding.UTF8.GetString(r.Key!)));
        var partition = Assert.Single(Enumerable.Range(0, 4), p => driver.Cluster.EndOffset(new TopicPartition(LoopDriver.RepartitionTopic, p)) > 0);
        Assert.Equal(reference, driver.Forecasts()); // the same records, in the same order: the series learnt every point once, in one shard
        Assert.All(Enumerable.Range(0, 4), p => Assert.Equal(Points / 4, driver.Consumer.Stored[LoopDriver.Input(p)]));
        Assert.Equal(Points - 1, driver.Consumer.Stored[new TopicPartition(LoopDriver.RepartitionTopic, partition)]); // the last point is held by its open bucket
        Assert.Equal(Points - 1, reference.Count);
        Assert.Empty(driver.Cluster.ReadTopic(driver.Kafka.DeadLetterTopic));
    }

    [Fact]
    public void Points_out_of_order_within_the_reorder_window_are_put_back_in_order()
    {
        var reference = KeyedRun();
        using var driver = new LoopDriver();
        // Read alternately from partitions 0 and 1: points 1, 0, 3, 2, ... each one step late (Series:ReorderWindowSteps 1).
        driver.Assign(AllPartitions()).Spread("a", First, Points, i => (i - First + 1) % 2)
            .Until("every point forecast", () => driver.Forecasts().Count == reference.Count && driver.Consumer.Stored.Count == 3);
        driver.Run();

        Assert.Equal(reference, driver.Forecasts());
        Assert.Empty(driver.Cluster.ReadTopic(driver.Kafka.DeadLetterTopic));
    }

    [Fact]
    public void Points_older_than_the_reorder_window_are_dead_lettered_from_the_repartition_topic()
    {
        using var driver = new LoopDriver();
        // Points 0-19 in partition 0, 20-39 in partition 1, read alternately: 0, 20, 1, 21, ...
        driver.Assign(AllPartitions()).Spread("a", First, Points, i => (i - First) / (Points / 2))
            .Until("every point handled", () => driver.Consumer.Stored.Count == 3 && driver.Consumer.Stored.Values.Sum() == (2 * (Points / 2)) + Points - 1);
        driver.Run();

        var dead = driver.Cluster.ReadTopic(driver.Kafka.DeadLetterTopic);
        Assert.NotEmpty(dead);
        Assert.Equal(Points - 1, dead.Count + driver.Forecasts().Count); // every point forecast or refused, but the last (held by its bucket)
        Assert.All(dead, r => Assert.Equal("timestamp_too_old", Encoding.UTF8.GetString(r.Headers!.GetLastBytes("forecaster.reason"))));
        Assert.All(dead, r => Assert.Equal(LoopDriver.RepartitionTopic, Encoding.UTF8.GetString(r.Headers!.GetLastBytes("forecaster.topic"))));
    }

    [Fact]
    public void A_keyed_record_is_not_reproduced_and_with_TrustKeys_nothing_is()
    {
        using (var keyed = new LoopDriver())
        {
            keyed.Assign(AllPartitions()).Spread("a", First, 8, i => (i - First) % 4, SeriesKey)
                .Until("read", () => keyed.Consumer.Stored.Count == 4);
            keyed.Run();
            Assert.Equal(0, keyed.Metrics.PointsRepartitioned.Value);
        }

        using var trusting = new LoopDriver(ingest: new IngestOptions { TrustKeys = true });
        trusting.Assign(AllPartitions()).Spread("a", First, 8, i => (i - First) % 4, key: "not-the-series")
            .Until("read", () => trusting.Consumer.Stored.Count == 4);
        trusting.Run();
        Assert.Equal(0, trusting.Metrics.PointsRepartitioned.Value);
        Assert.Empty(trusting.Cluster.ReadTopic(LoopDriver.RepartitionTopic));
        Assert.NotEmpty(trusting.Forecasts()); // each input shard learnt its own fragment of the series: what re-keying prevents
    }

    [Fact]
    public void A_mis_keyed_record_is_reproduced_and_a_point_read_again_is_dropped_once_absorbed()
    {
        using var driver = new LoopDriver();
        driver.Assign(AllPartitions()).Spread("a", 0, 4, _ => 1, key: "wrong")
            .Until("re-keyed and forecast (the last point waits for its bucket to close)", () => driver.Metrics.PointsRepartitioned.Value == 4 && driver.Forecasts().Count == 3)
            .Then("the re-keyed copies appended again, as after a crash", () =>
            {
                var rep = RekeyedPartition(driver);
                foreach (var copy in driver.Cluster.Read(rep))
                {
                    driver.Cluster.Append(rep, new Message<byte[], byte[]> { Key = copy.Key!, Value = copy.Value!, Headers = copy.Headers });
                }
            })
            .Until("the copies read", () => driver.Metrics.PointsDropped.WithLabels("repartition_duplicate").Value == 4);
        driver.Run();

        Assert.Equal(3, driver.Forecasts().Count);
        Assert.Equal(4, driver.Consumer.Stored[LoopDriver.Input(1)]); // stored once the re-keyed copies were acknowledged
        Assert.Equal(3, driver.Consumer.Stored[RekeyedPartition(driver)]); // the last point is held by its open bucket
        var origin = Encoding.UTF8.GetString(driver.Cluster.Read(RekeyedPartition(driver))[3].Headers!.GetLastBytes(OriginMarks.Header));
        Assert.Equal("in/1/3/0", origin);
    }

    /// <summary>
    /// At-least-once: the repartition shard is checkpointed (revoked) after the second half while the input shards are lost
    /// with their first-half checkpoints, so every point of the second half is re-keyed again, and only the origin marks
    /// saved in the repartition shard's commit marker tell the copies apart; the keyed reference is checkpointed and
    /// restored at the same point. Exactly-once: everything is lost with the open transaction, re-keyed points included.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Across_lost_partitions_and_a_restore_each_point_is_absorbed_once(bool exactlyOnce)
    {
        static Dictionary<string, byte[]> Run(bool rekeyed, bool exactlyOnce, out LoopDriver driver)
        {
            driver = new LoopDriver(exactlyOnce, Checkpoints());
            var d = driver;
            TopicPartition[] inputs = [.. Enumerable.Range(0, 4).Select(LoopDriver.Input)];
            TopicPartition[] rep = [.. Enumerable.Range(0, 4).Select(p => new TopicPartition(LoopDriver.RepartitionTopic, p))];
            var key = rekeyed ? null : SeriesKey;
            d.Assign(AllPartitions()).Spread("a", First, Points / 2, i => rekeyed ? (i - First) % 4 : 0, key)
                .Until("checkpoints of the first half", () => Saved(d).Sum(s => s.InputOffset) == (rekeyed ? Points : Points / 2))
                .Spread("a", First + (Points / 2), Points / 2, i => rekeyed ? (i - First) % 4 : 0, key)
                .Until("the second half read", () => d.Loop.ConsumedRecords >= (rekeyed ? 2 * Points : Points));
            if (exactlyOnce)
            {
                d.Lose(AllPartitions());
            }
            else if (rekeyed)
            {
                d.Revoke(rep).Lose(inputs);
            }
            else
            {
                d.Revoke(inputs); // the series checkpointed and restored at the same point as the re-keyed run's, none of it re-read
            }

            // A last few points after the restore, so both runs end with a checkpoint of a series that moved since it.
            d.Assign(AllPartitions()).Spread("a", First + Points, 4, i => rekeyed ? (i - First) % 4 : 0, key)
                .Until("every point read again and handled", () => d.Health.IsReady && Saved(d).Sum(s => s.InputOffset) == (rekeyed ? (2 * Points) + 8 + (exactlyOnce ? 0 : Points / 2) : Points + 4));
            d.Run();
            return Forecaster.Worker.Tests.Checkpoints.StateWorker.SeriesBytes([.. Saved(d)]);
        }

        var expected = Run(rekeyed: false, exactlyOnce, out var reference);
        var actual = Run(rekeyed: true, exactlyOnce, out var driver);
        using (reference)
        using (driver)
        {
            var duplicates = driver.Metrics.PointsDropped.WithLabels("repartition_duplicate").Value;
            if (exactlyOnce)
            {
                // The lost partitions aborted the transaction, re-keyed points and all: a read_committed reader never sees them twice.
                Assert.Equal(0, duplicates);
                Assert.Equal(reference.Forecasts(), driver.Forecasts());
            }
            else
            {
                Assert.Equal(Points / 2, duplicates);
                Assert.Equal(reference.Forecasts().Distinct().Order(), driver.Forecasts().Distinct().Order());
            }

            Assert.Equal([SeriesKey], actual.Keys);
            // Everything the series learnt, bit for bit. Its timeline differs in one place only, by design: the offset its
            // open bucket holds is one of its own shard's topic (the repartition topic there, with the copies in it).
            Assert.True(LearntState(expected[SeriesKey]).SequenceEqual(LearntState(actual[SeriesKey])), "the series' state differs from the keyed run's");
            Assert.Empty(driver.Cluster.ReadTopic(driver.Kafka.DeadLetterTopic));
            Assert.All(Enumerable.Range(0, 4), p => Assert.Empty(driver.SavedState(p)?.Series ?? []));
        }
    }

    /// <summary>The series' model state in its checkpoint payload (id, state length, state: before its timeline).</summary>
    internal static byte[] LearntState(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        _ = reader.ReadString();
        return reader.ReadBytes(reader.ReadInt32());
    }

    /// <summary>Every checkpoint saved, of the input and the repartition topic.</summary>
    private static List<Forecaster.Worker.Checkpoints.RestoredShard> Saved(LoopDriver driver) =>
        [.. Enumerable.Range(0, 4).SelectMany(p => new[] { driver.SavedState(p), driver.SavedState(p, LoopDriver.RepartitionTopic) }).OfType<Forecaster.Worker.Checkpoints.RestoredShard>()];

    private static TopicPartition RekeyedPartition(LoopDriver driver) =>
        Enumerable.Range(0, 4).Select(p => new TopicPartition(LoopDriver.RepartitionTopic, p)).Single(p => driver.Cluster.EndOffset(p) > 0);
}
