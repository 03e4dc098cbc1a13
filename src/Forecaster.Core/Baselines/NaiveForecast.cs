namespace Forecaster.Core.Baselines;

/// <summary>The naive forecast: the last training value, repeated for every step.</summary>
public static class NaiveForecast
{
    /// <param name="history">The training values, at least one.</param>
    /// <param name="destination">Receives the H forecasts (H = its length).</param>
    /// <exception cref="ArgumentException"><paramref name="history"/> is empty.</exception>
    public static void Forecast(ReadOnlySpan<double> history, Span<double> destination)
    {
        if (history.IsEmpty)
        {
            throw new ArgumentException("The history is empty.", nameof(history));
        }

        destination.Fill(history[^1]);
    }
}
