using Forecaster.Worker.Ingest;
using Prometheus;

namespace Forecaster.Worker.Observability;

/// <summary>
/// Every Prometheus metric of the worker, created in one registry (the default one in the service,
/// a private one per test). Labels stay few and bounded: never a series id.
/// </summary>
internal sealed class ForecasterMetrics
{
    public ForecasterMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        RecordsConsumed = factory.CreateCounter("forecaster_records_consumed_total", "Input records read from Kafka.");
        RecordsInvalid = factory.CreateCounter(
            "forecaster_records_invalid_total", "Input records sent to the dead-letter topic, by reason.",
            new CounterConfiguration { LabelNames = ["reason"] });
        PointsDropped = factory.CreateCounter(
            "forecaster_points_dropped_total", "Valid points not forecast: duplicate, late_in_bucket or superseded.",
            new CounterConfiguration { LabelNames = ["reason"] });
        ForecastsPublished = factory.CreateCounter("forecaster_forecasts_published_total", "Forecast records handed to the producer.");
        ForecastsDelivered = factory.CreateCounter("forecaster_forecasts_delivered_total", "Forecast records acknowledged by the broker.");
        ForecastBytes = factory.CreateCounter("forecaster_forecast_bytes_total", "Bytes of forecast record values produced.");
        DeliveryErrors = factory.CreateCounter("forecaster_delivery_errors_total", "Records the producer failed to deliver.");
        KafkaErrors = factory.CreateCounter(
            "forecaster_kafka_errors_total", "Errors reported by the Kafka clients.",
            new CounterConfiguration { LabelNames = ["fatal"] });
        SeriesEvicted = factory.CreateCounter("forecaster_series_evicted_total", "Series evicted from a full shard (least recently seen).");
        SeriesActive = factory.CreateGauge("forecaster_series_active", "Series held by the shards of this worker.");
        PartitionsAssigned = factory.CreateGauge("forecaster_partitions_assigned", "Input partitions assigned to this worker.");
        StepDuration = factory.CreateHistogram(
            "forecaster_step_duration_seconds", "Duration of one batched model step of a shard, with publishing.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        BatchSize = factory.CreateHistogram(
            "forecaster_consume_batch_records", "Records handled between two flushes of the shards.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 4, 9) });

        RestoreDuration = factory.CreateHistogram(
            "forecaster_restore_duration_seconds", "Duration of restoring one assigned partition from the state topic.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
        RestoreFailures = factory.CreateCounter("forecaster_restore_failures_total", "Partitions whose saved state was refused (they start clean from the committed offset).");
        SeriesRestored = factory.CreateCounter("forecaster_series_restored_total", "Series restored from the state topic.");
        CheckpointDuration = factory.CreateHistogram(
            "forecaster_checkpoint_duration_seconds", "Pause of the consume loop for one checkpoint of the assigned shards.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        CheckpointBytes = factory.CreateCounter("forecaster_checkpoint_bytes_total", "Bytes of state records produced by checkpoints.");
        CheckpointFailures = factory.CreateCounter("forecaster_checkpoint_failures_total", "Checkpoints not acknowledged in time (the next one is full).");
        CheckpointAge = factory.CreateGauge("forecaster_checkpoint_age_seconds", "Seconds since the last complete checkpoint of this worker's shards.");

        foreach (var reason in RejectReasons.All)
        {
            RecordsInvalid.WithLabels(reason);
        }
    }

    public Counter RecordsConsumed { get; }
    public Counter RecordsInvalid { get; }
    public Counter PointsDropped { get; }
    public Counter ForecastsPublished { get; }
    public Counter ForecastsDelivered { get; }
    public Counter ForecastBytes { get; }
    public Counter DeliveryErrors { get; }
    public Counter KafkaErrors { get; }
    public Counter SeriesEvicted { get; }
    public Gauge SeriesActive { get; }
    public Gauge PartitionsAssigned { get; }
    public Histogram StepDuration { get; }
    public Histogram BatchSize { get; }
    public Histogram RestoreDuration { get; }
    public Counter RestoreFailures { get; }
    public Counter SeriesRestored { get; }
    public Histogram CheckpointDuration { get; }
    public Counter CheckpointBytes { get; }
    public Counter CheckpointFailures { get; }
    public Gauge CheckpointAge { get; }
}
