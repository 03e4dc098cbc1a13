namespace Forecaster.Worker.Backtest;

/// <summary>What a reader returns: the series it could use, in file order, and what it skipped.</summary>
internal sealed record BacktestInput(IReadOnlyList<BacktestSeries> Series, IReadOnlyList<InputProblem> Problems);
