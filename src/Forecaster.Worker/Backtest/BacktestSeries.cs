namespace Forecaster.Worker.Backtest;

/// <summary>One series to score: its training part (the only part a method sees) and its test part (H values).</summary>
internal sealed record BacktestSeries(string Id, double[] Train, double[] Test);
