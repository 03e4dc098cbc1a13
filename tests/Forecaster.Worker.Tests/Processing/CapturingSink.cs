using Forecaster.Core.Forecasting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Processing;

/// <summary>A sink that completes at once and keeps what it was given.</summary>
internal sealed class CapturingSink : IForecastSink
{
    public List<(string Series, long Origin, long Offset, SeriesStatus Status, double[] Quantiles)> Forecasts { get; } = [];

    public int Steps { get; private set; }

    public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets) =>
        Forecasts.Add((series.Id, originMs, offset, forecaster.Status(slot), forecaster.Quantiles(slot).ToArray()));
}
