namespace Forecaster.Worker.Backtest;

/// <summary>The forecasting task shared by every method of one backtest.</summary>
/// <param name="Horizon">H: steps forecast from the end of each training part.</param>
/// <param name="Season">m: seasonal period of the baselines and of the MASE scale (1 = none).</param>
/// <param name="Seed">Seed for methods that draw random numbers.</param>
internal sealed record BacktestSettings(int Horizon, int Season, int Seed)
{
    /// <summary>
    /// The shortest usable training part: two full seasons, so the MASE scale, seasonal naive and
    /// Naive2's decomposition are all defined (a long-format series needs this plus H points).
    /// </summary>
    public int MinimumTrainLength => 2 * Season;
}
