using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Processing;

/// <summary>Where a shard hands each forecast: the Kafka publisher in the worker, a list in tests.</summary>
internal interface IForecastSink
{
    /// <summary>
    /// Publishes the forecast in <paramref name="slot"/> of <paramref name="forecaster"/>'s last step for a
    /// point of <paramref name="series"/> observed at <paramref name="originMs"/>, read from input
    /// <paramref name="offset"/> of the shard's partition. A sink that completes later holds the offset in
    /// <paramref name="offsets"/> until then.
    /// </summary>
    void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets);
}
