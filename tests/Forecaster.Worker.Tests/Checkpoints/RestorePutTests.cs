using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Driver;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>The first part of a restore (series, model and held offsets into the shard) in shares equals it in one go.</summary>
public class RestorePutTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Putting_a_restored_shard_in_shares_of_any_size_equals_putting_it_in_one_go(int share)
    {
        var cluster = new FakeCluster();
        using (var first = new LoopDriver(state: new StateOptions { CheckpointIntervalSeconds = 1, RestoreThreads = 1 }, cluster: cluster))
        {
            // 25 points of 5 series: the saved timelines still hold input offsets the restored shard must register.
            first.Assign(0).Points(0, 25, "a", "b", "c", "d", "e").Until("checkpointed", () => first.SavedState(0)?.InputOffset == 125);
            first.Run();
        }

        var settings = WorkerRunner.SmallModel().ToSettings();
        RestoredShard Read() => new FakeStateReader(cluster, "state", settings).Read(LoopDriver.InputTopic, 0, out _, out _)!;
        var oneGo = new Shard(0, StateWorker.Series, settings, new ShardFeed.NullSink());
        var oneGoStale = RestoreApplier.Prepare(oneGo, Read());

        var shares = new Shard(0, StateWorker.Series, settings, new ShardFeed.NullSink());
        var put = new RestorePut(shares, Read());
        var turns = 0;
        while (!put.Advance(share))
        {
            turns++;
            Assert.True(turns < 1000, "the put does not end");
        }

        Assert.True(turns >= 5 / share, $"{turns} shares of {share} units for 5 series");
        Assert.Equal(oneGoStale.Select(e => e.Key), put.Stale.Select(e => e.Key));
        ShardFeed.AssertSameSeries(ShardFeed.Bytes(oneGo.Series, settings), ShardFeed.Bytes(shares.Series, settings), $"put in shares of {share}");
        Assert.Equal(oneGo.Series.Select(e => e.Key), shares.Series.Select(e => e.Key));
        Assert.True(oneGo.Offsets.LastRegistered >= 0, "the saved timelines hold no input offsets: the test needs some");
        Assert.Equal(oneGo.Offsets.LastRegistered, shares.Offsets.LastRegistered);
        Assert.Equal(oneGo.Offsets.Outstanding, shares.Offsets.Outstanding);
        for (var back = 0; back < oneGo.Offsets.Outstanding; back++)
        {
            Assert.Equal(oneGo.Offsets.OutstandingAt(back), shares.Offsets.OutstandingAt(back));
        }

        Assert.Equal(oneGo.Offsets.TryAdvance(out var oneGoNext), shares.Offsets.TryAdvance(out var sharesNext));
        Assert.Equal(oneGoNext, sharesNext);
    }
}
