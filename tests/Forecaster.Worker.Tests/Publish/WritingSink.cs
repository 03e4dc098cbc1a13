using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Tests.Publish;

/// <summary>A shard's sink that encodes every forecast with the real record writer and keeps the JSON text.</summary>
internal sealed class WritingSink(ForecastRecordWriter writer) : IForecastSink
{
    public List<string> Records { get; } = [];

    public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets) =>
        Records.Add(Encoding.UTF8.GetString(writer.Write(series, originMs, forecaster, slot)));
}
