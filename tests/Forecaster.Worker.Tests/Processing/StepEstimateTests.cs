using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

public class StepEstimateTests
{
    [Theory]
    [InlineData(new long[] { 0, 16_000, 32_000, 48_000 }, 16_000)] // exact spacing off the standard grid stays
    [InlineData(new long[] { 0, 14_100, 30_500, 44_000 }, 15_000)] // scattered: snapped
    [InlineData(new long[] { 0, 45_300, 89_800, 135_100 }, 45_000)] // scattered, no standard interval near: whole seconds
    [InlineData(new long[] { 0, 300_000, 900_000, 1_200_000 }, 300_000)] // one missing point
    [InlineData(new long[] { 0, 1, 60_000, 60_002, 120_000 }, 60_000)] // near-duplicates are not spacing
    [InlineData(new long[] { 0, 700, 1_400, 2_100 }, 1_000)] // never below a second
    public void Chooses_the_step_of_the_spacing(long[] timestamps, long expected) =>
        Assert.Equal(expected, StepEstimate.FromSorted(timestamps));

    [Fact]
    public void Only_near_duplicates_give_no_step() => Assert.Equal(0, StepEstimate.FromSorted([0, 3, 90]));
}
