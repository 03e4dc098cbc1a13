using Forecaster.Core.Baselines;

namespace Forecaster.Worker.Backtest;

/// <summary>A per-series baseline from Core: naive, seasonal naive or Naive2 (point forecasts, no band).</summary>
internal sealed class BaselineMethod : IBacktestMethod
{
    private readonly Action<ReadOnlyMemory<double>, int, double[]> forecast;

    private BaselineMethod(string key, string displayName, Action<ReadOnlyMemory<double>, int, double[]> forecast)
    {
        Key = key;
        DisplayName = displayName;
        this.forecast = forecast;
    }

    public string Key { get; }

    public string DisplayName { get; }

    public static BaselineMethod Naive { get; } =
        new("naive", "naive", (history, _, destination) => NaiveForecast.Forecast(history.Span, destination));

    public static BaselineMethod SeasonalNaive { get; } =
        new("snaive", "seasonal naive", (history, season, destination) => SeasonalNaiveForecast.Forecast(history.Span, season, destination));

    public static BaselineMethod Naive2 { get; } =
        new("naive2", "Naive2", (history, season, destination) => Naive2Forecast.Forecast(history.Span, season, destination));

    /// <summary>The baselines in table order: naive, seasonal naive, Naive2.</summary>
    public static IReadOnlyList<IBacktestMethod> All { get; } = [Naive, SeasonalNaive, Naive2];

    public IReadOnlyList<MethodForecast> Forecast(
        IReadOnlyList<ReadOnlyMemory<double>> training,
        BacktestSettings settings,
        ProgressLine progress,
        CancellationToken cancellationToken)
    {
        var forecasts = new MethodForecast[training.Count];
        for (int i = 0; i < training.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var point = new double[settings.Horizon];
            forecast(training[i], settings.Season, point);
            forecasts[i] = new MethodForecast(point);
            progress.Report(DisplayName, i + 1, training.Count);
        }

        return forecasts;
    }
}
