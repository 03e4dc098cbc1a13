namespace Forecaster.Core.Baselines;

/// <summary>
/// Naive2, the M4 reference method: when <see cref="SeasonalityTest"/> finds the series seasonal,
/// the naive forecast of the seasonally adjusted series (last value / its index) times the
/// indices of the last m training points, repeated; otherwise the plain naive forecast.
/// </summary>
/// <remarks>
/// A multiplicative decomposition needs a non-zero trend and a non-zero index at the last point.
/// When zeros in the data leave an index undefined (0/0) or make the last point's index 0, Naive2
/// falls back to the naive forecast, as for a non-seasonal series (M4 data are all positive, so
/// this never happens there).
/// </remarks>
public static class Naive2Forecast
{
    /// <param name="history">The n training values, at least one.</param>
    /// <param name="period">m ≥ 1.</param>
    /// <param name="destination">Receives the H forecasts.</param>
    /// <exception cref="ArgumentException"><paramref name="history"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below 1.</exception>
    public static void Forecast(ReadOnlySpan<double> history, int period, Span<double> destination)
    {
        if (!SeasonalityTest.IsSeasonal(history, period))
        {
            NaiveForecast.Forecast(history, destination);
            return;
        }

        Span<double> indices = period <= 512 ? stackalloc double[period] : new double[period];
        SeasonalIndices.Compute(history, period, indices);
        int n = history.Length;
        double level = history[n - 1] / indices[(n - 1) % period];
        if (!double.IsFinite(level) || !Finite.All<double>(indices))
        {
            NaiveForecast.Forecast(history, destination);
            return;
        }

        for (int h = 0; h < destination.Length; h++)
        {
            // The index of training point n − m + (h mod m), the one a season before step h.
            int t = n - period + (h % period);
            destination[h] = level * indices[t % period];
        }
    }
}
