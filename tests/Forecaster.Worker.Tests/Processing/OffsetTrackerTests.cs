using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

public class OffsetTrackerTests
{
    [Fact]
    public void Advances_only_over_the_contiguous_done_prefix()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 5, 6, 8 })
        {
            tracker.Register(offset);
            tracker.Hold(offset);
            tracker.Release(offset);
        }

        Assert.False(tracker.TryAdvance(out _));
        tracker.Release(6);
        tracker.Release(8);
        Assert.False(tracker.TryAdvance(out _));

        tracker.Release(5);
        Assert.True(tracker.TryAdvance(out var next));
        Assert.Equal(9, next);
        Assert.False(tracker.TryAdvance(out _));
        Assert.Equal(0, tracker.Outstanding);
    }

    [Fact]
    public void Grows_past_its_initial_capacity_and_refuses_misuse()
    {
        var tracker = new OffsetTracker();
        for (long offset = 0; offset < 5000; offset++)
        {
            tracker.Register(offset);
            if (offset >= 1)
            {
                tracker.Release(offset);
            }
        }

        Assert.False(tracker.TryAdvance(out _));
        tracker.Release(0);
        Assert.True(tracker.TryAdvance(out var next));
        Assert.Equal(5000, next);
        Assert.Throws<InvalidOperationException>(() => tracker.Register(10));
        Assert.Throws<InvalidOperationException>(() => tracker.Release(4999));
    }
}
