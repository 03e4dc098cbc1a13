namespace Forecaster.Core.Forecasting;

/// <summary>
/// Inverse of the standard normal distribution function by the rational approximation of Abramowitz and
/// Stegun, Handbook of Mathematical Functions, formula 26.2.23 (absolute error below 4.5e-4), which is
/// ample for initial band widths.
/// </summary>
public static class NormalQuantile
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in (0, 1).</exception>
    public static double Of(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability in (0, 1) is required.");
        }

        var upper = p > 0.5;
        var tail = upper ? 1 - p : p;
        var t = Math.Sqrt(-2 * Math.Log(tail));
        var x = t - ((2.515517 + (0.802853 * t) + (0.010328 * t * t)) / (1 + (1.432788 * t) + (0.189269 * t * t) + (0.001308 * t * t * t)));
        return upper ? x : -x;
    }
}
