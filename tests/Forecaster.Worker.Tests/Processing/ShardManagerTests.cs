using Forecaster.Core.Forecasting;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Prometheus;

namespace Forecaster.Worker.Tests.Processing;

/// <summary>The partition → shard map, through the last-found shard it remembers for consecutive records.</summary>
public class ShardManagerTests
{
    private static ShardManager NewManager() => new(
        new SeriesOptions(), new ForecastSettings { HiddenSize = 4, Horizons = 1 }, new CapturingSink(), new WorkerHealth(TimeProvider.System),
        new ForecasterMetrics(new CollectorRegistry()), heldPoints: null);

    [Fact]
    public void Finds_each_partition_of_each_topic_and_forgets_one_removed_or_replaced()
    {
        var shards = NewManager();
        var a0 = shards.Create("in", 0);
        var a1 = shards.Create("in", 1);
        var b0 = shards.Create("other", 0);
        shards.Add(a0);
        shards.Add(a1);
        shards.Add(b0);

        // The topic string of each record is its own instance: found by content, each time the partition changes or not.
        Assert.True(shards.TryGet(new string("in"), 0, out var found));
        Assert.Same(a0, found);
        Assert.True(shards.TryGet(new string("in"), 0, out found));
        Assert.Same(a0, found);
        Assert.True(shards.TryGet("in", 1, out found));
        Assert.Same(a1, found);
        Assert.True(shards.TryGet("other", 0, out found));
        Assert.Same(b0, found);
        Assert.False(shards.TryGet("in", 2, out _));

        shards.Remove("other", 0); // the one found last
        Assert.False(shards.TryGet("other", 0, out _));

        Assert.True(shards.TryGet("in", 1, out _));
        var replacement = shards.Create("in", 1);
        shards.Add(replacement); // a rewind replaces the shard found last
        Assert.True(shards.TryGet("in", 1, out found));
        Assert.Same(replacement, found);

        shards.Clear();
        Assert.False(shards.TryGet("in", 1, out _));
    }
}
