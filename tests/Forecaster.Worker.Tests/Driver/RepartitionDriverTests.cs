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

    private static TopicPartition RekeyedPartition(LoopDriver driver) =>
        Enumerable.Range(0, 4).Select(p => new TopicPartition(LoopDriver.RepartitionTopic, p)).Single(p => driver.Cluster.EndOffset(p) > 0);
}
