using Forecaster.Core.Scoring;

namespace Forecaster.Worker.Backtest;

/// <summary>One method's forecasts and data-set scores; OWA is NaN when Naive2 was not run.</summary>
internal sealed record MethodResult(
    IBacktestMethod Method,
    IReadOnlyList<MethodForecast> Forecasts,
    ScoreAccumulator Scores,
    double Owa,
    double Seconds)
{
    /// <summary>Interval coverage when every forecast had a band, else NaN.</summary>
    public double Coverage => Scores.CoverageCount == Scores.Count ? Scores.Coverage : double.NaN;
}
