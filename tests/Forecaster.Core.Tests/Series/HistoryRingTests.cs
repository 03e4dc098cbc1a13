using Forecaster.Core.Series;

namespace Forecaster.Core.Tests.Series;

public class HistoryRingTests
{
    [Fact]
    public void Keeps_the_newest_values_oldest_first_after_wrapping()
    {
        var ring = new HistoryRing(4);
        for (var i = 1; i <= 6; i++)
        {
            ring.Add(i);
        }

        var copy = new float[4];
        Assert.Equal(4, ring.CopyTo(copy));
        Assert.Equal(new float[] { 3, 4, 5, 6 }, copy);
        Assert.Equal(6f, ring.Back(0));
        Assert.Equal(3f, ring.Back(3));
    }

    [Fact]
    public void Refuses_ages_beyond_its_count_and_short_destinations()
    {
        var ring = new HistoryRing(3);
        ring.Add(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Back(1));
        ring.Add(2);
        Assert.Throws<ArgumentException>(() => ring.CopyTo(new float[1]));
    }
}
