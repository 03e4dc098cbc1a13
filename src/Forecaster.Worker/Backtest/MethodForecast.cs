namespace Forecaster.Worker.Backtest;

/// <summary>
/// One series' forecast: H point values and, for a method with a predictive interval, its lower
/// and upper bounds (both or neither; scored as interval coverage).
/// </summary>
internal sealed record MethodForecast(double[] Point, double[]? Lower = null, double[]? Upper = null)
{
    public bool HasBand => Lower is not null && Upper is not null;
}
