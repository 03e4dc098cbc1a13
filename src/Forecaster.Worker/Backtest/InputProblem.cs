namespace Forecaster.Worker.Backtest;

/// <summary>A row or series the backtest had to skip, with where it came from (line 1 is the header).</summary>
internal sealed record InputProblem(string File, int Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}
