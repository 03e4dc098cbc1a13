using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary>A stand-in for the LSTM: seasonal naive with a ±<see cref="HalfWidth"/> band, or a broken method.</summary>
internal sealed class FakeBandMethod(double halfWidth, int length = -1) : IBacktestMethod
{
    public double HalfWidth { get; } = halfWidth;

    public string Key => "lstm";

    public string DisplayName => "LSTM";

    public IReadOnlyList<MethodForecast> Forecast(
        IReadOnlyList<ReadOnlyMemory<double>> training,
        BacktestSettings settings,
        ProgressLine progress,
        CancellationToken cancellationToken) =>
        training.Select(history =>
        {
            double[] values = history.ToArray();
            var point = Enumerable.Range(0, length < 0 ? settings.Horizon : length)
                .Select(h => values[values.Length - settings.Season + (h % settings.Season)])
                .ToArray();
            return new MethodForecast(point, point.Select(v => v - HalfWidth).ToArray(), point.Select(v => v + HalfWidth).ToArray());
        }).ToArray();
}
