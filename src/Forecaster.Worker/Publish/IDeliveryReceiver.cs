using Confluent.Kafka;

namespace Forecaster.Worker.Publish;

/// <summary>
/// Whoever waits for the delivery of a record produced through the <see cref="RecordCollector"/>: an input
/// partition's offset tracker (forecasts, dead letters) or a checkpoint's acknowledgements (state records).
/// Called on the consume thread, when the collector applies the reports.
/// </summary>
internal interface IDeliveryReceiver
{
    /// <summary>The record produced with <paramref name="token"/> was delivered (<paramref name="error"/> null) or failed.</summary>
    void Delivered(long token, Error? error);
}
