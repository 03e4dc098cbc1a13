namespace Forecaster.Core.Baselines;

/// <summary>
/// The M4 seasonality test used by Naive2: a series of n values is seasonal with period m when
/// n ≥ 3m and |r_m| &gt; 1.645 · sqrt((1 + 2·Σ_{k=1..m−1} r_k²) / n), r_k being the lag-k sample
/// autocorrelation (the 90% limit of the organisers' "Benchmarks and Evaluation.R").
/// </summary>
public static class SeasonalityTest
{
    private const double CriticalValue = 1.645;

    /// <param name="history">The n training values.</param>
    /// <param name="period">m; a period of 1 is never seasonal.</param>
    /// <returns>True when the series counts as seasonal; false also for a constant series.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below 1.</exception>
    public static bool IsSeasonal(ReadOnlySpan<double> history, int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (period == 1 || history.Length < 3 * period)
        {
            return false;
        }

        double mean = 0;
        foreach (double x in history)
        {
            mean += x;
        }

        mean /= history.Length;
        double variance = 0;
        foreach (double x in history)
        {
            variance += (x - mean) * (x - mean);
        }

        if (variance == 0)
        {
            return false;
        }

        double squaresBelowPeriod = 0;
        for (int k = 1; k < period; k++)
        {
            double r = Autocorrelation(history, mean, variance, k);
            squaresBelowPeriod += r * r;
        }

        double rPeriod = Autocorrelation(history, mean, variance, period);
        double limit = CriticalValue * Math.Sqrt((1 + (2 * squaresBelowPeriod)) / history.Length);
        return Math.Abs(rPeriod) > limit;
    }

    /// <summary>r_k = Σ_{t=1..n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)², as R's <c>acf</c>.</summary>
    private static double Autocorrelation(ReadOnlySpan<double> x, double mean, double variance, int lag)
    {
        double sum = 0;
        for (int t = 0; t + lag < x.Length; t++)
        {
            sum += (x[t] - mean) * (x[t + lag] - mean);
        }

        return sum / variance;
    }
}
