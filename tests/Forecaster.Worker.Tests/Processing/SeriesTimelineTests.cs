using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

public class SeriesTimelineTests
{
    private const long T0 = 1_764_100_800_000;
    private const long Minute = 60_000;

    private static List<Observation> Take(SeriesTimeline timeline)
    {
        var list = new List<Observation>();
        while (timeline.TryTake(out var o))
        {
            list.Add(o);
        }

        return list;
    }

    private static SeriesTimeline Configured(int window = 0, int maxGap = 48, bool counter = false) =>
        new(Minute, 4, window, maxGap, counter);

    [Fact]
    public void Learns_the_step_from_the_smallest_delta_and_then_releases_the_buffered_points_in_order()
    {
        var timeline = new SeriesTimeline(0, 4, 0, 48, counter: false);
        long[] times = [T0, T0 + (2 * Minute), T0 + Minute + 200, T0 + (3 * Minute)];
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(OfferResult.Accepted, timeline.Offer(times[i], i, i));
            Assert.Empty(Take(timeline));
        }

        Assert.Equal(OfferResult.Accepted, timeline.Offer(times[3], 3, 3));

        Assert.Equal(Minute, timeline.StepMs);
        var released = Take(timeline);
        Assert.Equal([0L, 2, 1, 3], released.Select(o => o.Offset));
        Assert.Equal([T0, T0 + Minute, T0 + (2 * Minute), T0 + (3 * Minute)], released.Select(o => o.TimestampMs));
        Assert.All(released, o => Assert.Equal(ObservationKind.Point, o.Kind));
    }

    [Fact]
    public void Resamples_onto_the_step_and_fills_missing_buckets_with_bounded_gaps()
    {
        var timeline = Configured(maxGap: 2);
        timeline.Offer(T0 + 5_000, 1.0, 0);
        Take(timeline);
        timeline.Offer(T0 + (5 * Minute) + 30_000, 2.0, 1);

        var released = Take(timeline);
        Assert.Equal(3, released.Count);
        Assert.Equal([ObservationKind.Gap, ObservationKind.Gap, ObservationKind.Point], released.Select(o => o.Kind));
        Assert.Equal([T0 + (3 * Minute), T0 + (4 * Minute), T0 + (5 * Minute)], released.Select(o => o.TimestampMs));
        Assert.True(double.IsNaN(released[0].Value));
        Assert.Equal(2.0, released[2].Value);
        Assert.Equal(-1, released[0].Offset);
    }

    [Fact]
    public void Drops_duplicates_late_points_of_a_forecast_bucket_and_refuses_older_buckets()
    {
        var timeline = Configured();
        timeline.Offer(T0 + Minute, 1.0, 0);
        Take(timeline);

        Assert.Equal(OfferResult.Duplicate, timeline.Offer(T0 + Minute, 1.0, 1));
        Assert.Equal(OfferResult.LateInBucket, timeline.Offer(T0 + Minute + 10_000, 1.5, 2));
        Assert.Equal(OfferResult.TooOld, timeline.Offer(T0, 0.5, 3));
        Assert.Empty(Take(timeline));
    }

    [Fact]
    public void Reorder_window_aggregates_a_bucket_held_by_its_first_offset()
    {
        var timeline = Configured(window: 1);
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0 + Minute, 1.0, 0));
        Assert.Equal(OfferResult.Merged, timeline.Offer(T0 + Minute + 30_000, 1.5, 1));
        Assert.Equal(OfferResult.Merged, timeline.Offer(T0 + Minute + 10_000, 1.2, 2));
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0 + (2 * Minute), 2.0, 3));

        var released = Take(timeline);
        Assert.Single(released);
        Assert.Equal((ObservationKind.Point, 0L, T0 + Minute, 3), (released[0].Kind, released[0].Offset, released[0].TimestampMs, released[0].Points));
        Assert.Equal((1.0 + 1.5 + 1.2) / 3, released[0].Value, 12);
    }

    [Fact]
    public void Reorder_window_puts_points_up_to_the_window_late_back_in_order()
    {
        var timeline = Configured(window: 2);
        timeline.Offer(T0 + (3 * Minute), 3.0, 0);
        timeline.Offer(T0 + (2 * Minute), 2.0, 1);
        Assert.Empty(Take(timeline));

        timeline.Offer(T0 + (5 * Minute), 5.0, 2);

        var released = Take(timeline);
        Assert.Equal([T0 + (2 * Minute), T0 + (3 * Minute)], released.Select(o => o.TimestampMs));
        Assert.Equal([1L, 0], released.Select(o => o.Offset));
        Assert.Equal(OfferResult.TooOld, timeline.Offer(T0 + Minute, 1.0, 3));
    }

    [Fact]
    public void Counters_become_per_second_rates_and_a_drop_is_a_reset()
    {
        var timeline = Configured(counter: true);
        double[] raw = [100, 160, 280, 30];
        var rates = new List<double>();
        for (var i = 0; i < raw.Length; i++)
        {
            timeline.Offer(T0 + (i * Minute), raw[i], i);
            rates.AddRange(Take(timeline).Select(o => o.Value));
        }

        Assert.True(double.IsNaN(rates[0]));
        Assert.Equal([1.0, 2.0, 0.5], rates.Skip(1));
    }

    [Fact]
    public void Drop_held_gives_back_every_held_offset()
    {
        var timeline = Configured(window: 2);
        timeline.Offer(T0, 1, 10);
        timeline.Offer(T0 + Minute, 2, 11);
        Assert.Empty(Take(timeline));

        timeline.DropHeld();

        Assert.Equal([10L, 11], Take(timeline).Select(o => o.Offset));
    }
}
