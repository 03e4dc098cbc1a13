using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

public class ShardTests
{
    private const long T0 = 1_764_100_800_000;
    private const long Step = 60_000;

    private static readonly ForecastSettings Settings = new() { Horizons = 3, Season = 4, WarmupPoints = 8, HistoryCapacity = 32, HiddenSize = 4 };

    private readonly RecordDecoder _decoder = new(new IngestOptions());
    private readonly CapturingSink _sink = new();
    private long _offset;

    private Shard NewShard(int maxSeries = 100, int maxBatch = 16) =>
        new(0, new SeriesOptions { StepSeconds = 60, MaxSeriesPerShard = maxSeries, MaxBatchSeries = maxBatch }, Settings, _sink);

    private OfferResult Offer(Shard shard, string series, long ts, double value)
    {
        var json = $$"""{"metric":"m","labels":{"s":"{{series}}"},"ts":{{ts}},"value":{{value}}}""";
        Assert.Null(_decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, T0 + (1000 * Step)));
        var offset = _offset++;
        shard.Offsets.Register(offset);
        var result = shard.Offer(_decoder.Record, _decoder.Ids, 0, offset);
        shard.Offsets.Release(offset);
        return result;
    }

    [Fact]
    public void Every_point_of_several_series_yields_one_forecast_in_order()
    {
        var shard = NewShard();
        for (var t = 0; t < 20; t++)
        {
            foreach (var s in new[] { "a", "b", "c" })
            {
                Assert.Equal(OfferResult.Accepted, Offer(shard, s, T0 + (t * Step), Math.Sin(t) + s[0]));
            }

            shard.Flush();
        }

        Assert.Equal(60, _sink.Forecasts.Count);
        foreach (var s in new[] { "a", "b", "c" })
        {
            var origins = _sink.Forecasts.Where(f => f.Series == $"m{{s=\"{s}\"}}").Select(f => f.Origin).ToList();
            Assert.Equal(Enumerable.Range(0, 20).Select(t => T0 + (t * Step)), origins);
        }

        Assert.Equal(9, _sink.Forecasts[0].Quantiles.Length);
        Assert.Equal(SeriesStatus.WarmingUp, _sink.Forecasts[0].Status);
        Assert.True(shard.Offsets.TryAdvance(out var next));
        Assert.Equal(60, next);
    }

    [Fact]
    public void A_series_moving_twice_in_a_batch_is_stepped_in_between()
    {
        var shard = NewShard();
        Offer(shard, "a", T0, 1);
        Offer(shard, "b", T0, 1);
        Assert.Equal(2, shard.Forecaster.PendingCount);

        Offer(shard, "a", T0 + Step, 2);

        Assert.Equal(2, _sink.Forecasts.Count);
        Assert.Equal(1, shard.Forecaster.PendingCount);
        shard.Flush();
        Assert.Equal(T0 + Step, _sink.Forecasts[^1].Origin);
    }

    [Fact]
    public void A_full_batch_is_stepped_before_the_next_series_is_added()
    {
        var shard = NewShard(maxBatch: 2);
        Offer(shard, "a", T0, 1);
        Offer(shard, "b", T0, 1);
        Offer(shard, "c", T0, 1);

        Assert.Equal(2, _sink.Forecasts.Count);
        Assert.Equal(1, shard.Forecaster.PendingCount);
    }

    [Fact]
    public void Gaps_are_stepped_but_not_published()
    {
        var shard = NewShard();
        Offer(shard, "a", T0, 1);
        shard.Flush();
        Offer(shard, "a", T0 + (4 * Step), 2);
        shard.Flush();

        Assert.Equal([T0, T0 + (4 * Step)], _sink.Forecasts.Select(f => f.Origin));
    }

    [Fact]
    public void The_least_recently_seen_series_is_evicted_at_the_cap_and_its_held_points_are_released()
    {
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 60, MaxSeriesPerShard = 2, ReorderWindowSteps = 1 }, Settings, _sink);
        Offer(shard, "a", T0, 1);
        Offer(shard, "b", T0, 1);
        Offer(shard, "a", T0 + Step, 1);
        Offer(shard, "c", T0, 1);

        Assert.Equal(2, shard.SeriesCount);
        Assert.Equal(1, shard.EvictedSeries);
        shard.Flush();
        Assert.DoesNotContain(_sink.Forecasts, f => f.Series.Contains("\"b\"", StringComparison.Ordinal));
        Assert.True(shard.Offsets.TryAdvance(out var next));
        Assert.Equal(2, next); // 0 (a@T0) was published, 1 (b) dropped with b; 2 and 3 are held by open buckets.
    }

    [Fact]
    public void Finding_a_series_does_not_mark_it_seen_offering_to_it_does()
    {
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 60, MaxSeriesPerShard = 2 }, Settings, _sink);
        Offer(shard, "a", T0, 1);
        Offer(shard, "b", T0, 1);
        var a = Encoding.UTF8.GetBytes("m{s=\"a\"}");
        Assert.True(shard.TryFind(a, out var found)); // a record keyed as a, which may turn out not to be a's
        Offer(shard, "c", T0, 1);
        Assert.False(shard.TryFind(a, out _)); // a, still the least recently seen, was evicted
        Assert.True(shard.TryFind(Encoding.UTF8.GetBytes("m{s=\"b\"}"), out var b));

        shard.Offsets.Register(_offset);
        Assert.Equal(OfferResult.Accepted, shard.Offer(b, T0 + Step, 2, _offset++));
        Offer(shard, "d", T0, 1);
        Assert.True(shard.TryFind(Encoding.UTF8.GetBytes("m{s=\"b\"}"), out _)); // offered to since c: c was evicted
        Assert.False(shard.TryFind(Encoding.UTF8.GetBytes("m{s=\"c\"}"), out _));
        Assert.NotNull(found);
    }

    [Fact]
    public void Duplicates_complete_their_offset_without_a_forecast()
    {
        var shard = NewShard();
        Offer(shard, "a", T0, 1);
        Assert.Equal(OfferResult.Duplicate, Offer(shard, "a", T0, 1));
        shard.Flush();

        Assert.Single(_sink.Forecasts);
        Assert.True(shard.Offsets.TryAdvance(out var next));
        Assert.Equal(2, next);
    }
}
