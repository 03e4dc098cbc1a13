using Forecaster.Worker.Backtest;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Backtest;

public class BacktestBucketsTests
{
    private static readonly long[] FiveMinutes = [0, 300_000, 600_000, 900_000, 1_200_000, 1_500_000, 2_700_000];

    [Theory]
    [InlineData("Mean", new[] { 2.0, 5.0, 7.0 })]
    [InlineData("Last", new[] { 3.0, 6.0, 7.0 })]
    [InlineData("Min", new[] { 1.0, 4.0, 7.0 })]
    [InlineData("Max", new[] { 3.0, 6.0, 7.0 })]
    [InlineData("Sum", new[] { 6.0, 15.0, 7.0 })]
    public void A_gauge_aggregates_the_points_of_each_step_and_skips_empty_steps(string aggregation, double[] expected) =>
        Assert.Equal(expected, BacktestBuckets.Aggregate(FiveMinutes, [1, 2, 3, 4, 5, 6, 7], 300_000, 900_000, Enum.Parse<BucketAggregation>(aggregation), MetricKind.Gauge));

    [Fact]
    public void A_gauge_at_its_own_step_is_unchanged()
    {
        double[] values = [1, 2, 3, 4, 5, 6, 7];

        Assert.Same(values, BacktestBuckets.Aggregate(FiveMinutes, values, 300_000, 300_000, BucketAggregation.Mean, null));
    }

    [Fact]
    public void A_counter_is_its_per_second_increase_with_resets_counted_from_zero()
    {
        // Increases 30, 30 | 30, 10 (reset to 10), 30 | 60: over 900 s buckets.
        var rates = BacktestBuckets.Aggregate(FiveMinutes, [100, 130, 160, 190, 10, 40, 100], 300_000, 900_000, BucketAggregation.Mean, MetricKind.Counter);

        Assert.Equal([60 / 900.0, 70 / 900.0, 60 / 900.0], rates);
    }
}
