using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// The model the stream run ended with, forecasting from one continuous replay of every training part (as the
/// offline LSTM does) instead of from the shard's own states, which were re-warmed at every swap. Beside the stream
/// row it separates what training gave from what serving through swaps cost. Runs after <paramref name="stream"/>.
/// </summary>
internal sealed class StreamModelReplayMethod(StreamBacktestMethod stream) : IBacktestMethod
{
    public string Key => "lstm_stream_model";

    public string DisplayName => "LSTM (stream model, replay)";

    public IReadOnlyList<MethodForecast> Forecast(IReadOnlyList<ReadOnlyMemory<double>> training, BacktestSettings settings, ProgressLine progress, CancellationToken cancellationToken)
    {
        var (model, forecastSettings) = stream.Final ?? throw new InvalidOperationException("The stream method has not run yet.");
        var values = training.Select(series => Array.ConvertAll(series.ToArray(), v => (float)v)).ToArray();
        var forecasts = HistoryReplay.Run(new BatchForecaster(model, forecastSettings, Math.Min(values.Length, 1024)), values);
        var levels = forecastSettings.QuantileLevels.Length;
        return forecasts.Select(f => MethodForecast.FromQuantiles(f.Quantiles, settings.Horizon, levels, forecastSettings.MedianIndex)).ToArray();
    }
}
