using Forecaster.Core.Forecasting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Tests.Training;

/// <summary>Counts forecasts and keeps the last one of each series (its status and quantiles).</summary>
internal sealed class CountingSink : IForecastSink
{
    public long Count { get; private set; }

    public Dictionary<string, (SeriesStatus Status, long ModelVersion, double[] Quantiles)> Last { get; } = [];

    public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
    {
        Count++;
        Last[series.Id] = (forecaster.Status(slot), forecaster.ModelVersion, forecaster.Quantiles(slot).ToArray());
    }
}
