using System.Text;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

/// <summary>Step buckets aggregate their raw points (issue 11 item 2): gauges by the chosen aggregation, counters as a rate with resets, saved with the state.</summary>
public class BucketAggregationTests
{
    private const long T0 = 1_764_100_800_000; // a whole day: 5-minute buckets start on it
    private const long Second = 1_000;
    private const long FiveMinutes = 300 * Second;

    private static List<Observation> Take(SeriesTimeline timeline)
    {
        var list = new List<Observation>();
        while (timeline.TryTake(out var o))
        {
            list.Add(o);
        }

        return list;
    }

    private static List<Observation> Points(SeriesTimeline timeline) => [.. Take(timeline).Where(o => o.Kind == ObservationKind.Point)];

    [Theory]
    [InlineData("Mean", 7.0 / 3)]
    [InlineData("Last", 4.0)]
    [InlineData("Min", 1.0)]
    [InlineData("Max", 4.0)]
    [InlineData("Sum", 7.0)]
    public void A_gauge_bucket_is_aggregated_over_all_its_points_in_any_order(string aggregation, double expected)
    {
        var timeline = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: false, Enum.Parse<BucketAggregation>(aggregation));
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0 + (100 * Second), 1.0, 0));
        Assert.Equal(OfferResult.Merged, timeline.Offer(T0 + (200 * Second), 4.0, 1));
        Assert.Equal(OfferResult.Merged, timeline.Offer(T0 + (150 * Second), 2.0, 2)); // out of order, still in its bucket
        Assert.Equal(OfferResult.Duplicate, timeline.Offer(T0 + (200 * Second), 4.0, 3));
        Assert.Empty(Take(timeline));

        timeline.Offer(T0 + FiveMinutes, 9.0, 4); // the next bucket begins: the first closes

        var closed = Assert.Single(Take(timeline));
        Assert.Equal((ObservationKind.Point, T0, 0L, 3), (closed.Kind, closed.TimestampMs, closed.Offset, closed.Points));
        Assert.Equal(expected, closed.Value, 12);
    }

    [Fact]
    public void Fifteen_second_counter_scrapes_give_the_rate_of_five_minute_samples()
    {
        var fine = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: true);
        var coarse = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: true);
        var fineRates = new List<double>();
        var coarseRates = new List<double>();
        var random = new Random(5);
        double total = 1_000;
        for (var bucket = 0; bucket < 6; bucket++)
        {
            for (var i = 0; i < 20; i++)
            {
                total += random.Next(0, 50); // an uneven but never falling counter
                var ts = T0 + (bucket * FiveMinutes) + (i * 15 * Second) + (5 * Second);
                fine.Offer(ts, total, (bucket * 20) + i);
                if (i == 19)
                {
                    coarse.Offer(ts, total, bucket);
                }
            }

            fineRates.AddRange(Points(fine).Select(o => o.Value));
            coarseRates.AddRange(Points(coarse).Select(o => o.Value));
        }

        Assert.Equal(5, coarseRates.Count);
        Assert.True(double.IsNaN(coarseRates[0])); // one sample: no rate yet; the fine bucket has its own 19 increases
        Assert.True(fineRates[0] > 0);
        Assert.Equal(coarseRates.Skip(1), fineRates.Skip(1), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void A_counter_reset_inside_a_bucket_counts_from_zero()
    {
        var timeline = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: true);
        timeline.Offer(T0 + (290 * Second), 100, 0); // the previous bucket's last sample
        double[] raw = [130, 160, 20, 50]; // +30, +30, restart (20 counted from 0), +30
        for (var i = 0; i < raw.Length; i++)
        {
            timeline.Offer(T0 + FiveMinutes + (i * 60 * Second), raw[i], 1 + i);
        }

        Assert.Equal(OfferResult.Superseded, timeline.Offer(T0 + FiveMinutes + (30 * Second), 140, 9)); // a counter cannot go back in time
        timeline.Offer(T0 + (2 * FiveMinutes), 60, 10);

        var rates = Points(timeline);
        Assert.Equal(2, rates.Count);
        var expected = (30.0 + 30 + 20 + 30) / (FiveMinutes + (180 * Second) - (290 * Second)) * 1000;
        Assert.Equal(expected, rates[1].Value, 12);
        Assert.Equal(4, rates[1].Points);
    }

    [Fact]
    public void A_step_floor_rounds_a_learned_step_up_and_closes_a_bucket_when_the_next_begins()
    {
        var timeline = new SeriesTimeline(0, 4, 0, 48, counter: false, BucketAggregation.Mean, minStepMs: FiveMinutes);
        var released = new List<Observation>();
        for (var i = 0; i < 45; i++)
        {
            Assert.NotEqual(OfferResult.LateInBucket, timeline.Offer(T0 + (i * 15 * Second), i, i));
            released.AddRange(Points(timeline));
        }

        Assert.Equal((FiveMinutes, 15 * Second), (timeline.StepMs, timeline.RawStepMs));
        Assert.Equal([T0, T0 + FiveMinutes], released.Select(o => o.TimestampMs));
        Assert.Equal([20, 20], released.Select(o => o.Points));
        Assert.Equal([9.5, 29.5], released.Select(o => o.Value));
        Assert.Equal([0L, 20], released.Select(o => o.Offset));
    }

    [Fact]
    public void A_scrape_interval_change_under_the_floor_re_learns_the_raw_step_and_keeps_the_buckets()
    {
        var timeline = new SeriesTimeline(0, 4, 0, 48, counter: false, BucketAggregation.Mean, minStepMs: FiveMinutes);
        var points = new List<Observation>();
        long ts = T0, offset = 0;
        for (var i = 0; i < 40; i++, ts += 15 * Second)
        {
            timeline.Offer(ts, 1, offset++);
            points.AddRange(Points(timeline));
        }

        for (var i = 0; i < 30; i++, ts += 60 * Second)
        {
            Assert.NotEqual(OfferResult.LateInBucket, timeline.Offer(ts, 2, offset++));
            points.AddRange(Points(timeline));
        }

        Assert.Equal((FiveMinutes, 60 * Second), (timeline.StepMs, timeline.RawStepMs));
        Assert.Equal(Enumerable.Range(0, points.Count).Select(k => T0 + (k * FiveMinutes)), points.Select(o => o.TimestampMs)); // no gap, no bucket twice
        Assert.Equal([20, 20, 5, 5, 5, 5, 5], points.Select(o => o.Points));
    }

    [Theory]
    [InlineData(15_000, 0, 15_000)]
    [InlineData(15_000, 300_000, 300_000)]
    [InlineData(90_000, 60_000, 300_000)]
    [InlineData(420_000, 300_000, 600_000)]
    [InlineData(3_600_000, 300_000, 3_600_000)]
    [InlineData(172_800_000, 300_000, 172_800_000)]
    public void The_model_step_is_the_raw_step_or_the_floor_rounded_up_to_a_standard_step(long raw, long floor, long expected) =>
        Assert.Equal(expected, StepEstimate.ModelStep(raw, floor));

    [Fact]
    public void An_open_bucket_survives_a_checkpoint_with_its_running_aggregate()
    {
        var original = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: false, BucketAggregation.Max);
        var restored = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: false, BucketAggregation.Max);
        double[] values = [3, 8, 1, 5];
        for (var i = 0; i < values.Length; i++)
        {
            original.Offer(T0 + (i * 60 * Second), values[i], 10 + i);
            restored.Offer(T0 + (i * 60 * Second), values[i], 10 + i);
        }

        restored = RoundTrip(restored);
        Assert.Equal(OfferResult.Merged, restored.Offer(T0 + (280 * Second), 2, 14));
        original.Offer(T0 + (280 * Second), 2, 14);
        var held = new List<long>();
        restored.CollectHeldOffsets(held);
        Assert.Equal([10L], held);

        restored.Offer(T0 + FiveMinutes, 0, 15);
        original.Offer(T0 + FiveMinutes, 0, 15);

        Assert.Equal(Take(original), Take(restored));
        var counter = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: true);
        counter.Offer(T0, 10, 0);
        counter.Offer(T0 + (100 * Second), 20, 1);
        counter = RoundTrip(counter);
        counter.Offer(T0 + (200 * Second), 5, 2); // a reset after the restore
        counter.Offer(T0 + FiveMinutes, 0, 3);
        Assert.Equal((10.0 + 5) / 200, Assert.Single(Take(counter)).Value, 12);
    }

    [Fact]
    public void A_record_written_before_buckets_aggregated_loads_each_open_bucket_as_its_newest_point()
    {
        var timeline = new SeriesTimeline(FiveMinutes, 4, 1, 48, counter: false);
        timeline.Offer(T0, 1, 0);
        timeline.Offer(T0 + (60 * Second), 5, 1);
        var bytes = Save(timeline);
        var old = bytes[..^(SeriesTimeline.AggregateHeaderBytes + 44)]; // the header and one open bucket's aggregate

        var loaded = SeriesTimeline.Load(new BinaryReader(new MemoryStream(old)));
        loaded.Offer(T0 + FiveMinutes, 0, 2);

        var closed = Assert.Single(Take(loaded));
        Assert.Equal((5.0, 1, 0L), (closed.Value, closed.Points, closed.Offset));
    }

    private static byte[] Save(SeriesTimeline timeline)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            timeline.Save(writer);
        }

        return stream.ToArray();
    }

    private static SeriesTimeline RoundTrip(SeriesTimeline timeline) => SeriesTimeline.Load(new BinaryReader(new MemoryStream(Save(timeline))));
}
