namespace Forecaster.Worker.Backtest;

/// <summary>The summary of <see cref="ServedScore"/>: relative MAEs (served one step ahead and over all horizons; the LSTM's and the baseline's one step ahead), the LSTM's share, switches per 1,000 points and the series scored.</summary>
internal readonly record struct ServedSummary(double OneStep, double AllHorizons, double Lstm, double Baseline, double LstmShare, double SwitchesPerThousand, int Series)
{
    /// <summary>Share of the served bands, over every horizon, that held the value that followed.</summary>
    public double Coverage { get; init; } = double.NaN;

    /// <summary>Geometric mean over series of the served bands' interval score over the seasonal-naive absolute error (lower is better).</summary>
    public double IntervalScore { get; init; } = double.NaN;
}
