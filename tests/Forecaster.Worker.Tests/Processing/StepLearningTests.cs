using System.Text;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

/// <summary>A learned step survives double sends, jitter and gaps, and follows a scrape interval that changes for good.</summary>
public class StepLearningTests
{
    private const long T0 = 1_764_100_800_000;
    private const long Second = 1_000;

    private static List<Observation> Take(SeriesTimeline timeline)
    {
        var list = new List<Observation>();
        while (timeline.TryTake(out var o))
        {
            list.Add(o);
        }

        return list;
    }

    private static SeriesTimeline Learning() => new(0, 4, 0, 48, counter: false);

    [Fact]
    public void Duplicate_and_near_duplicate_first_points_never_make_a_millisecond_step()
    {
        var timeline = Learning();
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0, 1, 0));
        Assert.Equal(OfferResult.Duplicate, timeline.Offer(T0, 1, 1));
        Assert.Equal(OfferResult.Duplicate, timeline.Offer(T0 + 1, 1, 2));
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0 + (15 * Second), 2, 3));
        Assert.Equal(OfferResult.Duplicate, timeline.Offer(T0 + (15 * Second) + 3, 2, 100));
        Assert.Equal(0, timeline.StepMs);
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0 + 30 * Second, 3, 4));
        Assert.Equal(OfferResult.Accepted, timeline.Offer(T0 + 45 * Second, 4, 5));

        Assert.Equal(15 * Second, timeline.StepMs);
        Assert.Equal([0L, 3, 4, 5], Take(timeline).Select(o => o.Offset));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Jitter_of_ten_percent_still_learns_the_scrape_interval(int seed)
    {
        var random = new Random(seed);
        var timeline = Learning();
        for (var i = 0; timeline.StepMs == 0; i++)
        {
            timeline.Offer(T0 + (i * 15 * Second) + random.NextInt64(-1_500, 1_501), i, i);
        }

        Assert.Equal(15 * Second, timeline.StepMs);
    }

    [Fact]
    public void A_missing_point_among_the_first_does_not_double_the_step()
    {
        var timeline = Learning();
        long[] times = [T0, T0 + 15 * Second, T0 + 45 * Second, T0 + 60 * Second];
        for (var i = 0; i < times.Length; i++)
        {
            timeline.Offer(times[i], i, i);
        }

        Assert.Equal(15 * Second, timeline.StepMs);
    }

    [Fact]
    public void A_scrape_interval_change_re_learns_the_step_and_loses_no_point()
    {
        var timeline = Learning();
        var ts = T0;
        for (var i = 0; i < 20; i++, ts += 15 * Second)
        {
            timeline.Offer(ts, i, i);
        }

        Take(timeline);
        Assert.Equal(15 * Second, timeline.StepMs);
        var after = new List<Observation>();
        var switchedAt = -1;
        ts += 45 * Second; // the first delta at the new spacing
        for (var i = 0; i < 20; i++, ts += 60 * Second)
        {
            Assert.Equal(OfferResult.Accepted, timeline.Offer(ts, 100 + i, 100 + i));
            after.AddRange(Take(timeline));
            switchedAt = switchedAt < 0 && timeline.StepMs == 60 * Second ? i : switchedAt;
        }

        Assert.Equal(7, switchedAt); // the eighth delta at 60 s (twice the learning points)
        Assert.Equal(Enumerable.Range(100, 20).Select(i => (long)i), after.Where(o => o.Kind == ObservationKind.Point).Select(o => o.Offset));
        var tail = after.Skip(after.FindIndex(o => o.Offset == 107)).ToList();
        Assert.Equal(13, tail.Count);
        Assert.All(tail, o => Assert.Equal(ObservationKind.Point, o.Kind));
        Assert.All(tail.Zip(tail.Skip(1)), p => Assert.Equal(60 * Second, p.Second.TimestampMs - p.First.TimestampMs));
    }

    [Fact]
    public void A_gap_is_not_an_interval_change()
    {
        var timeline = Learning();
        var ts = T0;
        for (var i = 0; i < 10; i++, ts += 15 * Second)
        {
            timeline.Offer(ts, i, i);
        }

        Take(timeline);
        ts += 10 * 60 * Second;
        var released = new List<Observation>();
        for (var i = 0; i < 20; i++, ts += 15 * Second)
        {
            timeline.Offer(ts, 10 + i, 10 + i);
            released.AddRange(Take(timeline));
        }

        Assert.Equal(15 * Second, timeline.StepMs);
        Assert.Equal(40, released.Count(o => o.Kind == ObservationKind.Gap));
        Assert.Equal(20, released.Count(o => o.Kind == ObservationKind.Point));
    }

    [Fact]
    public void Repeated_gaps_of_one_length_between_regular_points_keep_the_step()
    {
        var timeline = Learning();
        var ts = T0;
        for (var i = 0; i < 100; i++)
        {
            timeline.Offer(ts, i, i);
            ts += i % 2 == 0 ? 15 * Second : 120 * Second;
        }

        Assert.Equal(15 * Second, timeline.StepMs);
    }

    [Fact]
    public void A_configured_step_is_never_re_learned()
    {
        var timeline = new SeriesTimeline(15 * Second, 4, 0, 48, counter: false);
        for (var i = 0; i < 50; i++)
        {
            timeline.Offer(T0 + (i * 60 * Second), i, i);
        }

        Assert.Equal(15 * Second, timeline.StepMs);
    }

    [Fact]
    public void A_half_run_of_a_new_spacing_survives_a_checkpoint()
    {
        var timeline = Learning();
        var ts = T0;
        for (var i = 0; i < 10; i++, ts += 15 * Second)
        {
            timeline.Offer(ts, i, i);
        }

        for (var i = 0; i < 5; i++, ts += 60 * Second)
        {
            timeline.Offer(ts, i, i);
        }

        Take(timeline);
        var restored = RoundTrip(timeline);
        for (var i = 0; i < 4; i++, ts += 60 * Second)
        {
            restored.Offer(ts, i, i);
        }

        Assert.Equal(60 * Second, restored.StepMs);
    }

    [Fact]
    public void A_timeline_saved_before_steps_were_re_learned_still_loads()
    {
        var timeline = Learning();
        for (var i = 0; i < 4; i++)
        {
            timeline.Offer(T0 + (i * 15 * Second), i, i);
        }

        Take(timeline);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            timeline.Save(writer);
        }

        var old = stream.ToArray()[..^(28 + SeriesTimeline.AggregateHeaderBytes)]; // the step drift's 28 bytes, then the bucket aggregates (none open)
        using var reader = new BinaryReader(new MemoryStream(old));
        var loaded = SeriesTimeline.Load(reader);

        Assert.Equal(15 * Second, loaded.StepMs);
        Assert.Equal(OfferResult.Accepted, loaded.Offer(T0 + (4 * 15 * Second), 4, 4));
    }

    private static SeriesTimeline RoundTrip(SeriesTimeline timeline)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            timeline.Save(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        return SeriesTimeline.Load(reader);
    }
}
