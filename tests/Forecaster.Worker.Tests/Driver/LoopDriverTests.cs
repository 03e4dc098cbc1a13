using Confluent.Kafka;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>The loop's rebalance, checkpoint and transaction paths with the broker-free driver: each runs in milliseconds.</summary>
public class LoopDriverTests
{
    private static StateOptions Checkpoints(int chunkSeries = 20_000) =>
        new() { CheckpointIntervalSeconds = 1, CheckpointChunkSeries = chunkSeries, RestoreThreads = 1 };

    [Fact]
    public void Without_checkpoints_offsets_follow_acknowledged_forecasts()
    {
        using var driver = new LoopDriver();
        driver.Assign(0, 1).Points(0, 10, "a").Points(1, 10, "b")
            .Until("every record read", () => driver.Consumer.Position(LoopDriver.Input(0)) == 10 && driver.Consumer.Position(LoopDriver.Input(1)) == 10)
            .Until("offsets stored", () => driver.Consumer.Stored.Count == 2);
        driver.Run();

        Assert.NotEmpty(driver.Forecasts());
        Assert.All(driver.Consumer.Stored.Values, offset => Assert.InRange(offset, 1, 10));
        Assert.Equal(20, driver.Loop.ConsumedRecords);
    }

    [Fact]
    public void A_revoke_during_a_spread_checkpoint_finishes_it_and_saves_the_position()
    {
        using var driver = new LoopDriver(state: Checkpoints(chunkSeries: 1));
        string[] series = [.. Enumerable.Range(0, 8).Select(i => $"s{i}")];
        driver.Assign(0).Points(0, 3, series)
            .Until("the shard frozen for its checkpoint", () => driver.Health.RestoringPartitions == 0 && driver.Consumer.Paused.Count == 1)
            .Revoke(0);
        driver.Run();

        var saved = driver.SavedState(0);
        Assert.NotNull(saved);
        Assert.Equal(24, saved.InputOffset);
        Assert.Equal(8, saved.Series.Count);
        Assert.Equal(0, driver.Metrics.CheckpointFailures.Value);
        Assert.Empty(driver.Consumer.Assignment);
    }

    [Fact]
    public void A_state_record_that_fails_delivery_fails_that_checkpoint_and_the_next_one_is_whole()
    {
        using var driver = new LoopDriver(state: Checkpoints());
        driver.Then("fail the first state record", () => driver.Producer.FailNextDelivery(t => t == "state", new Error(ErrorCode.MsgSizeTooLarge)))
            .Assign(0).Points(0, 5, "a", "b")
            .Until("a checkpoint failed", () => driver.Metrics.CheckpointFailures.Value >= 1)
            .Until("a checkpoint saved", () => driver.SavedState(0) is not null);
        driver.Run();

        var saved = driver.SavedState(0)!;
        Assert.Equal(10, saved.InputOffset);
        Assert.Equal(2, saved.Series.Count);
        Assert.Equal(1, driver.Metrics.CheckpointFailures.Value);
    }

    [Fact]
    public void Checkpoints_that_keep_failing_leave_the_age_gauge_growing_and_a_complete_one_resets_it()
    {
        using var driver = new LoopDriver(state: Checkpoints());
        var ages = new List<double>();
        void Fail() => driver.Producer.FailNextDelivery(t => t == "state", new Error(ErrorCode.MsgSizeTooLarge));
        driver.Then("fail the first checkpoint", Fail)
            .Assign(0).Points(0, 5, "a", "b")
            .Until("a checkpoint failed", () => driver.Metrics.CheckpointFailures.Value >= 1)
            .Then("fail the second", Fail)
            .Until("two failed", () => driver.Metrics.CheckpointFailures.Value >= 2)
            .Then("fail the third", Fail)
            .Until("three failed", () => driver.Metrics.CheckpointFailures.Value >= 3)
            .Then("read the age", () => ages.Add(driver.Metrics.CheckpointAge.Value))
            .Until("a checkpoint saved", () => driver.SavedState(0) is not null)
            .Then("read the age again", () => ages.Add(driver.Metrics.CheckpointAge.Value));
        driver.Run();

        // Three rounds, an interval (1 s) apart, failed: the age counts from the start, not from the last round.
        Assert.True(ages[0] >= 2.5, $"age {ages[0]} s after three failed checkpoints");
        Assert.True(ages[1] < 1, $"age {ages[1]} s after a complete one");
        Assert.Equal(3, driver.Metrics.CheckpointFailures.Value);
    }

    [Fact]
    public void Lost_during_a_transaction_aborts_it_and_commits_nothing_of_the_lost_partition()
    {
        using var driver = new LoopDriver(exactlyOnce: true, state: Checkpoints());
        driver.Assign(0).Points(0, 10, "a")
            .Until("forecasts in the open transaction", () => driver.Producer.Produced > 0 && driver.Consumer.Position(LoopDriver.Input(0)) == 10)
            .Lose(0)
            .Until("the transaction aborted", () => driver.Producer.Aborted >= 1);
        driver.Run();

        Assert.Equal(0, driver.Producer.Committed);
        Assert.Empty(driver.Forecasts());
        Assert.Equal(Offset.Unset, driver.Cluster.Committed(LoopDriver.Input(0)));
        Assert.Null(driver.SavedState(0));
    }

    [Fact]
    public void An_aborted_commit_rewinds_and_the_committed_output_is_that_of_a_run_without_the_fault()
    {
        static (List<(string, string)> Forecasts, long Offset, LoopDriver Driver) Run(bool fault)
        {
            var driver = new LoopDriver(exactlyOnce: true, state: Checkpoints());
            if (fault)
            {
                driver.Then("fail the first commit", () => driver.Producer.FailNextCommit(new Error(ErrorCode.InvalidTxnState)));
            }

            driver.Assign(0).Points(0, 12, "a", "b")
                .Until("a transaction committed", () => driver.Producer.Committed >= 1 && driver.Cluster.Committed(LoopDriver.Input(0)).Value == 24);
            driver.Run();
            return (driver.Forecasts(), driver.Cluster.Committed(LoopDriver.Input(0)).Value, driver);
        }

        var (clean, cleanOffset, cleanDriver) = Run(fault: false);
        var (faulted, faultedOffset, faultedDriver) = Run(fault: true);
        using (cleanDriver)
        using (faultedDriver)
        {
            Assert.Equal(0, cleanDriver.Producer.Aborted);
            Assert.True(faultedDriver.Producer.Aborted >= 1);
            Assert.Contains(faultedDriver.Consumer.Seeks, s => s.TopicPartition == LoopDriver.Input(0) && s.Offset == Offset.Beginning);
            Assert.NotEmpty(clean);
            Assert.Equal(clean, faulted);
            Assert.Equal(cleanOffset, faultedOffset);
        }
    }

    [Fact]
    public void A_cooperative_revoke_checkpoints_the_moved_partition_while_the_other_keeps_flowing_and_it_comes_back_restored()
    {
        using var driver = new LoopDriver(state: Checkpoints());
        driver.Assign(0, 1).Points(0, 6, "a").Points(1, 6, "b")
            .Until("both read", () => driver.Health.IsReady && driver.Consumer.Position(LoopDriver.Input(0)) == 6 && driver.Consumer.Position(LoopDriver.Input(1)) == 6)
            .Revoke(1)
            .Then("partition 1 saved on revoke", () => Assert.Equal(6, driver.SavedState(1)?.InputOffset))
            .Points(0, 9, "c")
            .Until("partition 0 still flowing", () => driver.Consumer.Position(LoopDriver.Input(0)) == 15)
            .Assign(1)
            .Until("partition 1 restored", () => driver.Health.IsReady);
        driver.Run();

        Assert.Equal(2, driver.Metrics.Rebalances.WithLabels("assigned").Value);
        Assert.Equal(1, driver.Metrics.SeriesRestored.Value); // "b", on the second assignment (nothing had state at the first).
        Assert.Contains(driver.Consumer.Seeks, s => s.TopicPartition == LoopDriver.Input(1) && s.Offset.Value == 6);
        Assert.Equal(0, driver.Metrics.CheckpointFailures.Value);
        Assert.Equal(15, driver.SavedState(0)!.InputOffset);
    }
}
