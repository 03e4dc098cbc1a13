namespace Forecaster.Worker.Backtest;

/// <summary>The summary of <see cref="ServedScore"/>: relative MAEs (served one step ahead and over all horizons; the LSTM's and the baseline's one step ahead), the LSTM's share, switches per 1,000 points and the series scored.</summary>
internal readonly record struct ServedSummary(double OneStep, double AllHorizons, double Lstm, double Baseline, double LstmShare, double SwitchesPerThousand, int Series);
