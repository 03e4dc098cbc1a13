namespace Forecaster.Core.Scoring;

/// <summary>
/// Point and interval accuracy measures of one forecast, as the M4 competition defines them
/// (the organisers' "Benchmarks and Evaluation.R"; see shared/data/README.md).
/// </summary>
public static class ForecastMetrics
{
    /// <summary>
    /// Symmetric MAPE in percent: the mean over the horizon of 200·|y − ŷ| / (|y| + |ŷ|).
    /// A step where both the actual and the forecast are 0 counts as 0 (a perfect forecast)
    /// instead of 0/0.
    /// </summary>
    /// <param name="actual">y, H values.</param>
    /// <param name="forecast">ŷ, H values.</param>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public static double SymmetricMape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckPair(actual, forecast, nameof(forecast));
        double sum = 0;
        for (int t = 0; t < actual.Length; t++)
        {
            double denominator = Math.Abs(actual[t]) + Math.Abs(forecast[t]);
            if (denominator > 0)
            {
                sum += 200.0 * Math.Abs(actual[t] - forecast[t]) / denominator;
            }
        }

        return sum / actual.Length;
    }

    /// <summary>
    /// The MASE scale of a series: the mean absolute seasonal difference of its training part,
    /// (1/(n−m)) · Σ_{t=m+1..n} |x_t − x_{t−m}|. It is 0 for a series that repeats exactly
    /// with period m (for example a constant one); <see cref="Mase"/> handles that case.
    /// </summary>
    /// <param name="training">x, the n training values.</param>
    /// <param name="period">m ≥ 1, the seasonal period (1 for non-seasonal data).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below 1 or not below n.</exception>
    public static double MaseScale(ReadOnlySpan<double> training, int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(period, training.Length);
        double sum = 0;
        for (int t = period; t < training.Length; t++)
        {
            sum += Math.Abs(training[t] - training[t - period]);
        }

        return sum / (training.Length - period);
    }

    /// <summary>
    /// Mean absolute scaled error: the mean absolute error over the horizon divided by
    /// <paramref name="scale"/> (from <see cref="MaseScale"/>).
    /// </summary>
    /// <returns>
    /// The MASE, or <see cref="double.NaN"/> when the scale is 0: MASE is undefined for a
    /// training part without seasonal variation, and NaN makes callers decide what to do
    /// (<see cref="ScoreAccumulator"/> leaves such series out of the mean and counts them).
    /// </returns>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative or not finite.</exception>
    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double scale)
    {
        CheckPair(actual, forecast, nameof(forecast));
        if (!double.IsFinite(scale) || scale < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The MASE scale must be finite and non-negative.");
        }

        if (scale == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int t = 0; t < actual.Length; t++)
        {
            sum += Math.Abs(actual[t] - forecast[t]);
        }

        return sum / actual.Length / scale;
    }

    /// <summary>The fraction of actuals inside their closed interval [lower, upper].</summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        CheckPair(actual, lower, nameof(lower));
        CheckPair(actual, upper, nameof(upper));
        int inside = 0;
        for (int t = 0; t < actual.Length; t++)
        {
            if (actual[t] >= lower[t] && actual[t] <= upper[t])
            {
                inside++;
            }
        }

        return (double)inside / actual.Length;
    }

    /// <summary>
    /// Overall weighted average, ½·(sMAPE/sMAPE_Naive2 + MASE/MASE_Naive2), of data-set-level
    /// means (a ratio of averages, not an average of per-series ratios). Below 1 beats Naive2.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A Naive2 score is not positive.</exception>
    public static double Owa(double smape, double mase, double naive2Smape, double naive2Mase)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(naive2Smape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(naive2Mase);
        return 0.5 * ((smape / naive2Smape) + (mase / naive2Mase));
    }

    private static void CheckPair(ReadOnlySpan<double> actual, ReadOnlySpan<double> other, string otherName)
    {
        if (actual.IsEmpty)
        {
            throw new ArgumentException("The horizon is empty.", nameof(actual));
        }

        if (other.Length != actual.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} values, got {other.Length}.", otherName);
        }
    }
}
