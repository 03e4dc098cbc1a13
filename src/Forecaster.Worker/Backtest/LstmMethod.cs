namespace Forecaster.Worker.Backtest;

/// <summary>The LSTM as a backtest method: one global model trained on all training parts (see <see cref="LstmBacktest"/>).</summary>
internal sealed class LstmMethod(LstmBacktestSettings lstm) : IBacktestMethod
{
    public string Key => "lstm";

    public string DisplayName => "LSTM";

    public IReadOnlyList<MethodForecast> Forecast(
        IReadOnlyList<ReadOnlyMemory<double>> training,
        BacktestSettings settings,
        ProgressLine progress,
        CancellationToken cancellationToken)
    {
        var values = training.Select(series => ToSingle(series.Span)).ToArray();
        var steps = lstm.Fit.Steps;
        var seeded = lstm with { Seed = settings.Seed, Fit = lstm.Fit with { Seed = settings.Seed + 6 } };
        var result = LstmBacktest.Run(values, settings.Horizon, settings.Season, seeded, new StepProgress(done => progress.Report("lstm training steps", done, steps)), cancellationToken);
        progress.Finish();
        return result.Forecasts;
    }

    private static float[] ToSingle(ReadOnlySpan<double> values)
    {
        var single = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            single[i] = (float)values[i];
        }

        return single;
    }

    /// <summary>Reports on the training thread itself (System.Progress would post to the thread pool, out of order).</summary>
    private sealed class StepProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
