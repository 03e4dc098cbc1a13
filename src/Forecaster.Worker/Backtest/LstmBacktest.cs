using Forecaster.Core.Forecasting;
using Forecaster.Core.Training;

namespace Forecaster.Worker.Backtest;

/// <summary>Settings of the LSTM in a backtest.</summary>
/// <param name="Hidden">LSTM units.</param>
/// <param name="Fit">Training run settings.</param>
/// <param name="Seed">Seed of the initial weights.</param>
internal sealed record LstmBacktestSettings(int Hidden, FitSettings Fit, int Seed)
{
    /// <summary>
    /// Raw values kept per series (Forecast:HistoryCapacity): what stream-mode retraining can train on. 1,024 holds
    /// every M4 Hourly training part whole (the worker's default is 512).
    /// </summary>
    public int History { get; init; } = 1024;

    /// <summary>Per-series level and season weights (Forecast:PerSeriesSmoothing), fitted after <see cref="SmoothingFitPoints"/> values.</summary>
    public bool PerSeriesSmoothing { get; init; }

    /// <summary>Values a series must have seen before its weights are fitted (Forecast:SmoothingFitPoints).</summary>
    public int SmoothingFitPoints { get; init; } = 336;

    /// <summary>Leads the weights are fitted on (Forecast:SmoothingFitLeads): 1 one-step, 0 all horizons.</summary>
    public int SmoothingFitLeads { get; init; }

    /// <summary>Which weights are fitted per series (Forecast:SmoothingFitWeights).</summary>
    public Core.Series.SmoothingWeights SmoothingFitWeights { get; init; }

    public static LstmBacktestSettings Default { get; } = new(64, new FitSettings(Steps: 1500), 1);
}

/// <summary>The LSTM's forecast of every series (point = median, band = outer quantiles) and its training run.</summary>
internal sealed record LstmBacktestResult(MethodForecast[] Forecasts, FitResult Fit);

/// <summary>
/// The LSTM method of the backtest, through the worker's own code path: every training history is replayed
/// through the per-series state to build training windows, one global model is trained on them, then every
/// history is replayed again through a <see cref="BatchForecaster"/> with that model, and the forecast issued
/// at the last training point is the answer.
/// </summary>
internal static class LstmBacktest
{
    public static ForecastSettings SettingsFor(int horizon, int season, int shortest, LstmBacktestSettings lstm)
    {
        var weekly = 7 * season;
        return new ForecastSettings
        {
            Horizons = horizon,
            Season = season,
            WeeklySeason = shortest >= 2 * weekly ? weekly : 0,
            HistoryCapacity = Math.Max(season, lstm.History),
            WarmupPoints = Math.Max(season, 48),
            HiddenSize = lstm.Hidden,
            Seed = lstm.Seed,
            PerSeriesSmoothing = lstm.PerSeriesSmoothing,
            SmoothingFitPoints = lstm.SmoothingFitPoints,
            SmoothingFitLeads = lstm.SmoothingFitLeads,
            SmoothingFitWeights = lstm.SmoothingFitWeights,
        };
    }

    public static LstmBacktestResult Run(IReadOnlyList<float[]> training, int horizon, int season, LstmBacktestSettings lstm, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        var shortest = training.Min(values => values.Length);
        var settings = SettingsFor(horizon, season, shortest, lstm);
        var data = training.Select(values => TrainingSeries.Build(values, [], settings)).ToArray();
        var fit = ModelFitter.Fit(ModelFactory.CreateInitial(settings), data, lstm.Fit, progress, cancellation: cancellation);
        var forecaster = new BatchForecaster(fit.Model, settings, Math.Min(training.Count, 1024));
        var forecasts = HistoryReplay.Run(forecaster, training);
        var levels = settings.QuantileLevels.Length;
        return new LstmBacktestResult(
            forecasts.Select(f => MethodForecast.FromQuantiles(f.Quantiles, horizon, levels, settings.MedianIndex)).ToArray(),
            fit);
    }
}
