using Forecaster.Core.Scoring;

namespace Forecaster.Core.Tests.Scoring;

public class ForecastMetricsTests
{
    [Fact]
    public void Symmetric_mape_is_the_mean_of_percent_errors_over_the_mean_magnitude()
    {
        // 200·10/210 and 200·20/380.
        double expected = ((2000.0 / 210) + (4000.0 / 380)) / 2;
        Assert.Equal(expected, ForecastMetrics.SymmetricMape([100, 200], [110, 180]), 12);
    }

    [Fact]
    public void Symmetric_mape_counts_zero_actual_and_zero_forecast_as_exact()
    {
        Assert.Equal(100.0, ForecastMetrics.SymmetricMape([0, 0], [0, 5]), 12);
    }

    [Fact]
    public void Mase_scale_is_the_mean_absolute_seasonal_difference()
    {
        // Lag-2 differences of 1, 2, 3, 5, 7, 9: 2, 3, 4, 4.
        Assert.Equal(3.25, ForecastMetrics.MaseScale([1, 2, 3, 5, 7, 9], 2), 12);
    }

    [Fact]
    public void Mase_scale_needs_more_values_than_the_period()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastMetrics.MaseScale([1, 2], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastMetrics.MaseScale([1, 2, 3], 0));
    }

    [Fact]
    public void Mase_divides_the_mean_absolute_error_by_the_scale()
    {
        Assert.Equal(0.75, ForecastMetrics.Mase([10, 12], [11, 10], 2), 12);
    }

    [Fact]
    public void Mase_is_nan_when_the_scale_is_zero()
    {
        double scale = ForecastMetrics.MaseScale([4, 4, 4, 4], 1);

        Assert.Equal(0, scale);
        Assert.True(double.IsNaN(ForecastMetrics.Mase([4, 5], [4, 4], scale)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastMetrics.Mase([4], [4], -1));
    }

    [Fact]
    public void Coverage_counts_actuals_inside_the_closed_band()
    {
        double coverage = ForecastMetrics.Coverage([1, 2, 3, 4], [0, 2, 3.5, 0], [2, 2, 4, 3]);
        Assert.Equal(0.5, coverage, 12);
    }

    [Fact]
    public void Owa_averages_the_two_ratios_to_naive2()
    {
        Assert.Equal(0.5, ForecastMetrics.Owa(10, 1, 20, 2), 12);
        Assert.Equal(0.75, ForecastMetrics.Owa(10, 2, 20, 2), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastMetrics.Owa(1, 1, 0, 1));
    }

    [Fact]
    public void Metrics_refuse_mismatched_or_empty_horizons()
    {
        Assert.Throws<ArgumentException>(() => ForecastMetrics.SymmetricMape([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => ForecastMetrics.SymmetricMape([], []));
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Mase([1, 2], [1, 2, 3], 1));
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Coverage([1, 2], [0, 0], [3]));
    }
}
