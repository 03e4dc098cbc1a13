namespace Forecaster.Worker.Backtest;

/// <summary>
/// One series' forecast: H point values and, for a method with a predictive interval, its lower
/// and upper bounds (both or neither; scored as interval coverage).
/// </summary>
internal sealed record MethodForecast(double[] Point, double[]? Lower = null, double[]? Upper = null)
{
    public bool HasBand => Lower is not null && Upper is not null;

    /// <summary>The median as the point and the outer quantiles as the band, from [H*Q] horizon-major quantiles.</summary>
    public static MethodForecast FromQuantiles(IReadOnlyList<double> quantiles, int horizon, int levels, int median)
    {
        double[] Pick(int level) => Enumerable.Range(0, horizon).Select(k => quantiles[(k * levels) + level]).ToArray();
        return new MethodForecast(Pick(median), Pick(0), Pick(levels - 1));
    }
}
