using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Checkpoints;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>Restore driven by the loop (the partition paused, never a long wait in the rebalance callback), with the broker-free driver.</summary>
public class RestoreDriverTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(new HttpOptions().HealthStallSeconds);

    private static StateOptions Checkpoints() => new() { CheckpointIntervalSeconds = 1, RestoreThreads = 1 };

    /// <summary>A cluster whose partition 0 holds <paramref name="steps"/> points of each series, checkpointed to its end by a first worker.</summary>
    private static FakeCluster Checkpointed(int steps, params string[] series)
    {
        var cluster = new FakeCluster();
        using var first = new LoopDriver(state: Checkpoints(), cluster: cluster);
        first.Assign(0).Points(0, steps, series).Until("checkpointed", () => first.SavedState(0)?.InputOffset == steps * series.Length);
        first.Run();
        return cluster;
    }

    [Fact]
    public void A_restore_slower_than_the_stall_limit_keeps_liveness_and_the_other_partitions_flowing()
    {
        using var gate = new ManualResetEventSlim(false);
        using var driver = new LoopDriver(state: Checkpoints(), maxWaitPolls: 100_000);
        var live = true;
        var restoreBegan = DateTimeOffset.MinValue;
        driver.Assign(1)
            .Until("partition 1 restored", () => driver.Health.RestoringPartitions == 0 && driver.Health.IsReady)
            .Then("hold every restore", () => driver.StateReader.Gate = gate)
            .Assign(0)
            .Then("note the time", () => restoreBegan = driver.Time.GetUtcNow())
            .Points(1, 10, "b").Points(0, 10, "a")
            .Until("twice the stall limit into the restore", () =>
            {
                live &= driver.Health.IsLive(Stall);
                return driver.Time.GetUtcNow() - restoreBegan > 2 * Stall;
            })
            .Then("check the restore is still held", () => Assert.Equal(1, driver.Health.RestoringPartitions))
            .Then("release the restore", gate.Set)
            .Until("partition 0 restored and read", () => driver.Health.RestoringPartitions == 0 && driver.Consumer.Position(LoopDriver.Input(0)) == 10);
        driver.Run();

        Assert.True(live, "liveness failed during a slow restore");
        var forecasts = driver.Forecasts();
        Assert.Contains(forecasts, f => f.Key == Hosting.TopicIo.SeriesId("b"));
        Assert.Contains(forecasts, f => f.Key == Hosting.TopicIo.SeriesId("a"));
        var saved = driver.SavedState(0);
        Assert.NotNull(saved);
        Assert.Equal(10, saved.InputOffset); // The points read before the pause were read again from the start, once.
        Assert.Single(saved.Series);
    }

    [Fact]
    public void A_restore_resumes_input_at_the_offset_saved_with_the_state()
    {
        var cluster = Checkpointed(6, "a");

        using var second = new LoopDriver(state: Checkpoints(), cluster: cluster);
        second.Assign(0).Points(0, 4, "a").Until("read to the end", () => second.Health.IsReady && second.Consumer.Position(LoopDriver.Input(0)) == 10);
        second.Run();

        Assert.Contains(second.Consumer.Seeks, s => s.TopicPartition == LoopDriver.Input(0) && s.Offset.Value == 6);
        Assert.Equal(4, second.Loop.ConsumedRecords); // Nothing before the saved offset is read (or counted) again.
        Assert.Equal(10, second.SavedState(0)!.InputOffset);
    }

    [Fact]
    public void Shutdown_during_a_restore_stops_at_once_and_writes_nothing_for_the_restoring_shard()
    {
        using var gate = new ManualResetEventSlim(false);
        using var driver = new LoopDriver(state: Checkpoints());
        driver.Then("hold every restore", () => driver.StateReader.Gate = gate)
            .Assign(0).Points(0, 5, "a")
            .Until("the partition paused for its restore", () => driver.Consumer.Paused.Count == 1);
        driver.Run();
        gate.Set();

        Assert.Equal(0, driver.Health.RestoringPartitions);
        Assert.Equal(0, driver.Health.AssignedPartitions);
        Assert.Empty(driver.Cluster.ReadTopic(driver.Kafka.StateTopic));
        Assert.Empty(driver.Forecasts());
    }

    [Fact]
    public void A_seek_that_fails_after_a_restore_is_tried_again_and_input_resumes_at_the_saved_offset()
    {
        var cluster = Checkpointed(6, "a");

        using var second = new LoopDriver(state: Checkpoints(), cluster: cluster);
        second.Then("fail two seeks", () => second.Consumer.FailNextSeeks(2))
            .Assign(0).Points(0, 4, "a")
            .Until("read to the end", () => second.Health.IsReady && second.Consumer.Position(LoopDriver.Input(0)) == 10);
        second.Run();

        Assert.Equal([6L], second.Consumer.Seeks.Select(s => s.Offset.Value));
        Assert.Equal(2, second.Metrics.KafkaErrors.WithLabels("false").Value);
        Assert.Equal(4, second.Loop.ConsumedRecords);
        Assert.Equal(10, second.SavedState(0)!.InputOffset);
    }

    [Fact]
    public void A_restore_whose_rewarm_spans_several_turns_keeps_liveness_lets_other_partitions_flow_and_equals_the_one_go_apply()
    {
        string[] series = ["a", "b", "c", "d", "e", "f"];
        var cluster = Checkpointed(30, series);

        // Another hidden size: every series is re-warmed (168 steps, cut to its history of 16) under the new shape's model.
        var reshaped = WorkerRunner.SmallModel();
        reshaped.HiddenSize = 6;
        var settings = reshaped.ToSettings();
        var saved = new FakeStateReader(cluster, "state", settings).Read(LoopDriver.InputTopic, 0, out _, out _)!;
        Assert.NotNull(saved.ShapeChange);
        var oneGo = new Shard(0, StateWorker.Series, settings, new ShardFeed.NullSink());
        Assert.Equal(series.Length, RestoreApplier.Apply(oneGo, saved, new TrainingOptions().RewarmSteps));

        // One series-step of re-warm a turn (a batched LSTM step at least): the apply takes several turns, partition 0 paused meanwhile.
        var state = Checkpoints();
        state.CheckpointIntervalSeconds = 3600;
        state.RestoreChunkSeriesSteps = 1;
        using var driver = new LoopDriver(state: state, cluster: cluster, forecast: reshaped);
        var (live, restoringTurns, flowed) = (true, 0, false);
        driver.Assign(1).Until("partition 1 restored", () => driver.Health.RestoringPartitions == 0)
            .Points(1, 10, "z")
            .Assign(0)
            .Until("partition 0 applied", () =>
            {
                live &= driver.Health.IsLive(Stall);
                if (driver.Health.RestoringPartitions == 0)
                {
                    return true;
                }

                restoringTurns++;
                flowed |= driver.Consumer.Position(LoopDriver.Input(1)) == 10;
                Assert.Contains(LoopDriver.Input(0), driver.Consumer.Paused);
                return false;
            })
            .Until("partition 0 resumed", () => driver.Health.IsReady && !driver.Consumer.Paused.Contains(LoopDriver.Input(0)));
        driver.Run();

        Assert.True(live, "liveness failed during the re-warm");
        Assert.True(restoringTurns >= 4, $"the apply took {restoringTurns} turns, not several");
        Assert.True(flowed, "partition 1 did not flow while partition 0 was applied");
        Assert.Contains(driver.Consumer.Seeks, s => s.TopicPartition == LoopDriver.Input(0) && s.Offset.Value == 180);
        var rewarmed = driver.SavedState(0)!.Series; // written at shutdown: every re-warmed series is dirty
        ShardFeed.AssertSameSeries(ShardFeed.Bytes(oneGo.Series, settings), ShardFeed.Bytes(rewarmed, settings), "applied over several turns");
    }

    [Fact]
    public void Putting_the_series_into_the_shard_is_shared_out_over_turns_with_the_partition_paused_and_liveness_kept()
    {
        string[] series = ["a", "b", "c", "d", "e", "f", "g", "h"];
        var cluster = Checkpointed(10, series);

        // The same model: nothing to re-warm, so every turn spent restoring is a share of the put (one series a share).
        var state = Checkpoints();
        state.CheckpointIntervalSeconds = 3600;
        state.RestoreChunkSeriesSteps = 1;
        using var driver = new LoopDriver(state: state, cluster: cluster);
        var (live, restoringTurns) = (true, 0);
        driver.Assign(0)
            .Until("partition 0 applied", () =>
            {
                live &= driver.Health.IsLive(Stall);
                if (driver.Health.RestoringPartitions == 0)
                {
                    return true;
                }

                restoringTurns++;
                Assert.Contains(LoopDriver.Input(0), driver.Consumer.Paused);
                return false;
            })
            .Until("partition 0 resumed", () => driver.Health.IsReady && !driver.Consumer.Paused.Contains(LoopDriver.Input(0)))
            .Points(0, 2, series)
            .Until("consumed after the restore", () => driver.Loop.ConsumedRecords == 16);
        driver.Run();

        Assert.True(live, "liveness failed during the put");
        Assert.True(restoringTurns >= series.Length, $"the put of {series.Length} series took {restoringTurns} turns");
        Assert.Contains(driver.Consumer.Seeks, s => s.TopicPartition == LoopDriver.Input(0) && s.Offset.Value == 80);
    }

    [Fact]
    public void Held_points_are_not_detached_from_a_shard_still_being_put()
    {
        // Found by the hard-kill test on a slow machine: the lag punctuator (once a second) detached held points of a
        // shard whose put was shared out over turns, from series whose offsets the put had not registered yet.
        var series = Enumerable.Range(0, 150).Select(i => $"s{i:D3}").ToArray();
        var cluster = Checkpointed(3, series);

        var state = Checkpoints();
        state.CheckpointIntervalSeconds = 3600;
        state.RestoreChunkSeriesSteps = 1;
        state.HeldPointMaxSeconds = 1;
        using var driver = new LoopDriver(state: state, cluster: cluster);
        var restoringFor = TimeSpan.Zero;
        driver.Assign(0)
            .Until("partition 0 applied", () =>
            {
                restoringFor += driver.Health.RestoringPartitions > 0 ? LoopDriver.Tick : TimeSpan.Zero;
                return driver.Health.RestoringPartitions == 0 && driver.Health.IsReady;
            })
            .Points(0, 1, series)
            .Until("consumed after the restore", () => driver.Loop.ConsumedRecords == series.Length);
        driver.Run();

        Assert.True(restoringFor > TimeSpan.FromSeconds(2), $"the put took {restoringFor} of fake time: the lag punctuator never ran during it");
    }
}
