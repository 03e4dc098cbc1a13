using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Publish;

/// <summary>
/// Produces forecasts (keyed by series) and dead letters through the <see cref="RecordCollector"/>. Every
/// produce holds its input offset in the shard's <see cref="OffsetTracker"/>, the receiver of its delivery
/// report: the collector releases it there once the record is acknowledged.
/// </summary>
internal sealed class ForecastPublisher : IForecastSink, IDisposable
{
    public const string ReasonHeader = "forecaster.reason";
    public const string TopicHeader = "forecaster.topic";
    public const string PartitionHeader = "forecaster.partition";
    public const string OffsetHeader = "forecaster.offset";

    /// <summary>On the dead letter of a multi-point record (OTLP): the refused points as <c>index:reason,...</c>.</summary>
    public const string PointsHeader = "forecaster.points";

    private readonly RecordCollector _collector;
    private readonly string _forecastTopic;
    private readonly string _deadLetterTopic;
    private readonly ForecastRecordWriter _writer;
    private readonly ForecasterMetrics _metrics;
    private readonly ExactLengthBuffers _values = new();

    public ForecastPublisher(RecordCollector collector, string forecastTopic, string deadLetterTopic, ForecastRecordWriter writer, ForecasterMetrics metrics)
    {
        _collector = collector;
        _forecastTopic = forecastTopic;
        _deadLetterTopic = deadLetterTopic;
        _writer = writer;
        _metrics = metrics;
    }

    public void Dispose() => _writer.Dispose();

    public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
    {
        var value = _values.Copy(_writer.Write(series, originMs, forecaster, slot));
        offsets.Hold(offset);
        offsets.Sent();
        _collector.Produce(_forecastTopic, new Message<byte[], byte[]> { Key = series.Key, Value = value }, RecordKind.Forecast, offsets, offset);
        _metrics.ForecastsPublished.Inc();
        _metrics.ForecastBytes.Inc(value.Length);
        if (_metrics.Forecasts is { Enabled: true } gauges)
        {
            gauges.Observe(series.Id, forecaster.Quantiles(slot), forecaster.Settings.QuantileLevels, forecaster.AnomalyLikelihood(slot));
        }

        var anomaly = forecaster.AnomalyFlag(slot);
        if (anomaly != 0)
        {
            (anomaly > 0 ? _metrics.AnomaliesUp : _metrics.AnomaliesDown).Inc();
        }
        if (forecaster.Status(slot) == SeriesStatus.Fallback)
        {
            _metrics.ForecastsFallback.Inc();
        }
    }

    /// <summary>Sends the original record with its reason and origin in headers; holds its offset until acknowledged.</summary>
    public void DeadLetter(ConsumeResult<byte[], byte[]> record, string reason, OffsetTracker offsets) =>
        DeadLetter(record, reason, offsets, points: null);

    /// <summary>As above, plus the refused points of a multi-point record in <see cref="PointsHeader"/> when <paramref name="points"/> is given.</summary>
    public void DeadLetter(ConsumeResult<byte[], byte[]> record, string reason, OffsetTracker offsets, string? points)
    {
        var headers = new Headers
        {
            { ReasonHeader, System.Text.Encoding.UTF8.GetBytes(reason) },
            { TopicHeader, System.Text.Encoding.UTF8.GetBytes(record.Topic) },
            { PartitionHeader, System.Text.Encoding.UTF8.GetBytes(record.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            { OffsetHeader, System.Text.Encoding.UTF8.GetBytes(record.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        };
        if (points is not null)
        {
            headers.Add(PointsHeader, System.Text.Encoding.UTF8.GetBytes(points));
        }

        var message = new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
        offsets.Hold(record.Offset.Value);
        offsets.Sent();
        _collector.Produce(_deadLetterTopic, message, RecordKind.DeadLetter, offsets, record.Offset.Value);
        _metrics.RecordsInvalid.WithLabels(reason).Inc();
    }

    /// <summary>Waits until every produced record is acknowledged or the timeout passes (applying the reports); returns the number still in flight.</summary>
    public int Flush(TimeSpan timeout) => _collector.Flush(timeout);
}
