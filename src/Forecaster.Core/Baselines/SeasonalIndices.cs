namespace Forecaster.Core.Baselines;

/// <summary>
/// Seasonal indices of a classical multiplicative decomposition (R's
/// <c>decompose(type = "multiplicative")</c>): the trend is a centred moving average (2×m for
/// even m, m for odd m), the index of cycle position p is the mean of value/trend over the
/// points at that position where the trend exists, and the m indices are rescaled to mean 1.
/// Position p of point t (0-based) is t mod m, counted from the first training value.
/// </summary>
public static class SeasonalIndices
{
    /// <param name="history">The n training values, n ≥ 2m, all non-zero where the trend exists.</param>
    /// <param name="period">m ≥ 2.</param>
    /// <param name="destination">Receives the m indices; index p belongs to points with t mod m = p.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below 2, the history is shorter than 2m, or the destination is not m long.</exception>
    public static void Compute(ReadOnlySpan<double> history, int period, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(history.Length, 2 * period, nameof(history));
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, period, nameof(destination));

        destination.Clear();
        Span<int> counts = period <= 512 ? stackalloc int[period] : new int[period];
        counts.Clear();
        int half = period / 2;
        for (int t = half; t + half < history.Length; t++)
        {
            double trend = CentredMovingAverage(history, t, period);
            destination[t % period] += history[t] / trend;
            counts[t % period]++;
        }

        double meanIndex = 0;
        for (int p = 0; p < period; p++)
        {
            destination[p] /= counts[p];
            meanIndex += destination[p];
        }

        meanIndex /= period;
        for (int p = 0; p < period; p++)
        {
            destination[p] /= meanIndex;
        }
    }

    /// <summary>The centred moving average at t; the caller keeps t ± m/2 inside the series.</summary>
    private static double CentredMovingAverage(ReadOnlySpan<double> x, int t, int period)
    {
        int half = period / 2;
        double sum = 0;
        if (period % 2 == 0)
        {
            sum = 0.5 * (x[t - half] + x[t + half]);
            for (int j = t - half + 1; j < t + half; j++)
            {
                sum += x[j];
            }
        }
        else
        {
            for (int j = t - half; j <= t + half; j++)
            {
                sum += x[j];
            }
        }

        return sum / period;
    }
}
