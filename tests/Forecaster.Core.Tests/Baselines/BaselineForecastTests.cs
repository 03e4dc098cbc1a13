using Forecaster.Core.Baselines;

namespace Forecaster.Core.Tests.Baselines;

public class BaselineForecastTests
{
    [Fact]
    public void Naive_repeats_the_last_value()
    {
        var forecast = new double[4];
        NaiveForecast.Forecast([1, 2, 3], forecast);
        Assert.Equal([3, 3, 3, 3], forecast);
        Assert.Throws<ArgumentException>(() => NaiveForecast.Forecast([], forecast));
    }

    [Fact]
    public void Seasonal_naive_repeats_the_last_season()
    {
        var forecast = new double[5];
        SeasonalNaiveForecast.Forecast([1, 2, 3, 4, 5], 2, forecast);
        Assert.Equal([4, 5, 4, 5, 4], forecast);
        Assert.Throws<ArgumentOutOfRangeException>(() => SeasonalNaiveForecast.Forecast([1, 2], 3, forecast));
    }

    [Fact]
    public void Seasonal_indices_recover_an_exact_multiplicative_pattern()
    {
        var evenIndices = new double[2];
        SeasonalIndices.Compute(Repeat([5, 15], 10), 2, evenIndices);
        Assert.Equal(0.5, evenIndices[0], 12);
        Assert.Equal(1.5, evenIndices[1], 12);

        var oddIndices = new double[3];
        SeasonalIndices.Compute(Repeat([5, 10, 15], 4), 3, oddIndices);
        Assert.Equal(0.5, oddIndices[0], 12);
        Assert.Equal(1.0, oddIndices[1], 12);
        Assert.Equal(1.5, oddIndices[2], 12);
    }

    [Fact]
    public void Seasonal_indices_are_rescaled_to_mean_one()
    {
        // The trend doubles the ratios' level on one side; the rescaled indices still average 1.
        double[] history = [2, 9, 4, 11, 3, 13, 5, 12, 4, 14];
        var indices = new double[2];
        SeasonalIndices.Compute(history, 2, indices);
        Assert.Equal(1.0, (indices[0] + indices[1]) / 2, 12);
        Assert.True(indices[0] < 1 && indices[1] > 1);
    }

    [Fact]
    public void Seasonality_test_accepts_a_daily_cycle_and_rejects_noise_short_and_constant_series()
    {
        var random = new Random(7);
        double[] cycle = Enumerable.Range(0, 240)
            .Select(t => 100 + (10 * Math.Sin(2 * Math.PI * t / 24)) + random.NextDouble())
            .ToArray();
        double[] noise = Enumerable.Range(0, 240).Select(_ => random.NextDouble()).ToArray();

        Assert.True(SeasonalityTest.IsSeasonal(cycle, 24));
        Assert.False(SeasonalityTest.IsSeasonal(noise, 24));
        Assert.False(SeasonalityTest.IsSeasonal(cycle.AsSpan(0, 71), 24));
        Assert.False(SeasonalityTest.IsSeasonal(Enumerable.Repeat(5.0, 100).ToArray(), 4));
        Assert.False(SeasonalityTest.IsSeasonal(cycle, 1));
    }

    [Fact]
    public void Naive2_reseasonalises_the_last_level_with_the_indices_of_the_last_season()
    {
        // 21 points, alternating 5, 15 from the first: the last point (5) sits at position 0.
        double[] history = Repeat([5, 15], 11)[..21];
        var forecast = new double[3];
        Naive2Forecast.Forecast(history, 2, forecast);

        Assert.Equal(15, forecast[0], 12);
        Assert.Equal(5, forecast[1], 12);
        Assert.Equal(15, forecast[2], 12);
    }

    [Fact]
    public void Naive2_is_naive_for_a_non_seasonal_series()
    {
        var forecast = new double[3];
        Naive2Forecast.Forecast([3, 1, 4, 1, 5, 9, 2, 6], 1, forecast);
        Assert.Equal([6, 6, 6], forecast);

        Naive2Forecast.Forecast(Enumerable.Repeat(7.0, 30).ToArray(), 4, forecast);
        Assert.Equal([7, 7, 7], forecast);
    }

    [Fact]
    public void Naive2_handles_zeros_and_falls_back_to_naive_where_the_decomposition_is_undefined()
    {
        var forecast = new double[3];
        double[] onOff = Repeat([0, 10], 10);
        Assert.True(SeasonalityTest.IsSeasonal(onOff, 2));

        // Index of position 0 is 0, of position 1 is 2; the last point (10) has index 2.
        Naive2Forecast.Forecast(onOff, 2, forecast);
        Assert.Equal([0, 10, 0], forecast);

        // The last point (0) has index 0: the level is 0/0, so naive.
        Naive2Forecast.Forecast(onOff.AsSpan(0, 19), 2, forecast);
        Assert.Equal([0, 0, 0], forecast);

        // A run of zeros makes the trend 0 there, so an index is 0/0: naive.
        double[] wakesUp = [.. new double[8], .. Repeat([5, 15], 10)];
        Assert.True(SeasonalityTest.IsSeasonal(wakesUp, 2));
        Naive2Forecast.Forecast(wakesUp, 2, forecast);
        Assert.Equal([15, 15, 15], forecast);
    }

    private static double[] Repeat(double[] cycle, int times) =>
        Enumerable.Repeat(cycle, times).SelectMany(c => c).ToArray();
}
