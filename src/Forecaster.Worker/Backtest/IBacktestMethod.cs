namespace Forecaster.Worker.Backtest;

/// <summary>
/// A forecasting method under test. It gets the training parts of all series at once (a global
/// model such as the LSTM trains on all of them before forecasting any) and never sees a test part.
/// </summary>
internal interface IBacktestMethod
{
    /// <summary>Key in summary.json, lower case: "lstm", "naive", "snaive", "naive2".</summary>
    string Key { get; }

    /// <summary>Row label in the console table.</summary>
    string DisplayName { get; }

    /// <summary>
    /// Forecasts H = <see cref="BacktestSettings.Horizon"/> steps from the end of every training part.
    /// </summary>
    /// <param name="training">The training part of each series, in order; at least <see cref="BacktestSettings.MinimumTrainLength"/> long.</param>
    /// <param name="settings">Horizon, season and seed.</param>
    /// <param name="progress">For long-running methods: report how far they are.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    /// <returns>One forecast per series, in the same order, each with H finite values.</returns>
    IReadOnlyList<MethodForecast> Forecast(
        IReadOnlyList<ReadOnlyMemory<double>> training,
        BacktestSettings settings,
        ProgressLine progress,
        CancellationToken cancellationToken);
}
