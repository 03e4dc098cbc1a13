namespace Forecaster.Core.Anomaly;

/// <summary>
/// The upper tail Q(z) = P(Z &gt; z) of the standard normal distribution and its logarithm, from the
/// complementary error function by the Chebyshev fit of Numerical Recipes (erfcc, fractional error below
/// 1.2e-7 everywhere), so far tails keep their relative precision and their logarithm never underflows.
/// </summary>
public static class NormalTail
{
    /// <summary>ln Q(z); finite for every finite z.</summary>
    public static double LogUpper(double z)
    {
        var x = z / Math.Sqrt(2);
        if (x < 0)
        {
            // erfc(x) = 2 − erfc(−x) for x < 0: the tail is above one half, no precision issue.
            return Math.Log(1 - (0.5 * Math.Exp(LogErfc(-x))));
        }

        return LogErfc(x) - Math.Log(2);
    }

    /// <summary>Q(z).</summary>
    public static double Upper(double z) => Math.Exp(LogUpper(z));

    /// <summary>ln erfc(x) for x ≥ 0.</summary>
    private static double LogErfc(double x)
    {
        var t = 1 / (1 + (0.5 * x));
        var poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        return Math.Log(t) - (x * x) + poly;
    }
}
