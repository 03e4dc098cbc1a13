namespace Forecaster.Core.Baselines;

/// <summary>The seasonal naive forecast: the last m training values, repeated.</summary>
public static class SeasonalNaiveForecast
{
    /// <param name="history">The training values, at least <paramref name="period"/>.</param>
    /// <param name="period">m ≥ 1; with 1 this is the naive forecast.</param>
    /// <param name="destination">Receives the H forecasts: step h gets history[n − m + (h mod m)].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below 1 or above the history length.</exception>
    public static void Forecast(ReadOnlySpan<double> history, int period, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(period, history.Length);
        var lastSeason = history[^period..];
        for (int h = 0; h < destination.Length; h++)
        {
            destination[h] = lastSeason[h % period];
        }
    }
}
