using System.Reflection;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Training;
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
            "forecaster_points_dropped_total", "Valid points not forecast: duplicate, late_in_bucket, superseded, null_value (collectd NaN), created_series (Prometheus _created) or repartition_duplicate (a re-keyed point read again after a crash).",
            new CounterConfiguration { LabelNames = ["reason"] });
        PointsRepartitioned = factory.CreateCounter(
            "forecaster_points_repartitioned_total", "Points whose record was unkeyed or keyed otherwise than by their series id, re-produced keyed by series id to Kafka:RepartitionTopic.");
        ForecastsPublished = factory.CreateCounter("forecaster_forecasts_published_total", "Forecast records handed to the producer.");
        ForecastsDelivered = factory.CreateCounter("forecaster_forecasts_delivered_total", "Forecast records acknowledged by the broker.");
        ForecastsFallback = factory.CreateCounter("forecaster_forecasts_fallback_total", "Forecasts served by the fallback baseline (status fallback).");
        Anomalies = factory.CreateCounter(
            "forecaster_anomalies_total", "Anomaly events published (the likelihood crossed Anomaly:Threshold), by direction (up, down).",
            new CounterConfiguration { LabelNames = ["direction"] });
        AnomaliesUp = Anomalies.WithLabels("up");
        AnomaliesDown = Anomalies.WithLabels("down");
        Rebalances = factory.CreateCounter(
            "forecaster_rebalances_total", "Partition assignment changes seen by this worker, by kind (assigned, revoked, lost).",
            new CounterConfiguration { LabelNames = ["kind"] });
        ConsumerLag = factory.CreateGauge(
            "forecaster_consumer_lag_records", "Records between this worker's position and the high watermark, per assigned input partition.",
            new GaugeConfiguration { LabelNames = ["topic", "partition"] });
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
        TrainingRuns = factory.CreateCounter(
            "forecaster_training_runs_total", "Background retrainings that ended, by outcome (accepted, or why the challenger was not).",
            new CounterConfiguration { LabelNames = ["outcome"] });
        TrainingDuration = factory.CreateHistogram(
            "forecaster_training_duration_seconds", "Wall time of one background retraining, queueing excluded.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.5, 2, 12) });
        TrainingLastLoss = factory.CreateGauge(
            "forecaster_training_last_loss", "Mean pinball loss over the last tenth of the last retraining of a shard's model group (shape).",
            new GaugeConfiguration { LabelNames = ["topic", "partition", "shape"] });
        TrainingGradNorm = factory.CreateGauge(
            "forecaster_training_grad_norm", "Global gradient norm before clipping at the last step of the last retraining of a shard's model group (shape).",
            new GaugeConfiguration { LabelNames = ["topic", "partition", "shape"] });
        ModelVersion = factory.CreateGauge(
            "forecaster_model_version", "Version of the model serving a shard's model group (shape); advances with each accepted retraining.",
            new GaugeConfiguration { LabelNames = ["topic", "partition", "shape"] });
        OnlineScaledError = factory.CreateGauge(
            "forecaster_online_scaled_error", "Mean over a shard's series of the rolling scaled error (MASE-style) of the forecasts, one and K steps ahead pooled, scored as actuals arrive.",
            new GaugeConfiguration { LabelNames = ["topic", "partition", "model"] });
        OnlineScaledErrorOneStep = factory.CreateGauge(
            "forecaster_online_scaled_error_one_step", "Mean over a shard's series of the rolling scaled error one step ahead, the figure the fallback compares (model against baseline).",
            new GaugeConfiguration { LabelNames = ["topic", "partition", "model"] });
        OnlineCoverage = factory.CreateGauge(
            "forecaster_online_coverage", "Mean over a shard's series of the rolling share of actuals inside the forecast band.",
            new GaugeConfiguration { LabelNames = ["topic", "partition", "model"] });
        SeriesFallback = factory.CreateGauge(
            "forecaster_series_fallback", "Series of a shard served by the baseline because the model has been losing to it one step ahead.",
            new GaugeConfiguration { LabelNames = ["topic", "partition"] });

        BuildInfo = factory.CreateGauge(
            "forecaster_build_info", "Always 1; the labels name the worker's version and the .NET runtime.",
            new GaugeConfiguration { LabelNames = ["version", "runtime"] });
        SeriesWarmingUp = factory.CreateGauge(
            "forecaster_series_warming_up", "Series of a shard that are still warming up (forecast by the baseline), refreshed every 15 s.",
            new GaugeConfiguration { LabelNames = ["topic", "partition"] });
        BuildInfo.WithLabels(Version, Environment.Version.ToString()).Set(1);

        foreach (var outcome in TrainingOutcomes.All)
        {
            TrainingRuns.WithLabels(outcome);
        }

        RestoreDuration = factory.CreateHistogram(
            "forecaster_restore_duration_seconds", "Duration of restoring one assigned partition from the state topic.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
        RestoreFailures = factory.CreateCounter("forecaster_restore_failures_total", "Partitions whose saved state was refused (they start clean from the committed offset).");
        SeriesRestored = factory.CreateCounter("forecaster_series_restored_total", "Series restored from the state topic.");
        CheckpointDuration = factory.CreateHistogram(
            "forecaster_checkpoint_duration_seconds", "Duration of one checkpoint of the assigned shards, first record to last acknowledgement (interval checkpoints are spread over loop iterations).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        CheckpointPause = factory.CreateHistogram(
            "forecaster_checkpoint_pause_seconds", "Time the consume loop spent on checkpoint work in one go: a share of an interval checkpoint, or a whole revoke or shutdown checkpoint.",
            new HistogramConfiguration { LabelNames = ["trigger"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        foreach (var trigger in CheckpointTriggers.All)
        {
            CheckpointPause.WithLabels(trigger);
        }

        CheckpointBytes = factory.CreateCounter("forecaster_checkpoint_bytes_total", "Bytes of state records produced by checkpoints.");
        CheckpointFailures = factory.CreateCounter("forecaster_checkpoint_failures_total", "Checkpoints not acknowledged in time (the next one is full).");
        CheckpointAge = factory.CreateGauge("forecaster_checkpoint_age_seconds", "Seconds since the last complete checkpoint of this worker's shards.");
        Transactions = factory.CreateCounter(
            "forecaster_transactions_total", "Kafka transactions ended in exactly-once mode, by outcome (committed, aborted).",
            new CounterConfiguration { LabelNames = ["outcome"] });
        CommittedLag = factory.CreateGauge(
            "forecaster_committed_lag_records", "Records between the offset this worker last stored for commit (what the group commits, what KEDA and lag exporters read) and the high watermark, per assigned input partition.",
            new GaugeConfiguration { LabelNames = ["topic", "partition"] });
        HeldOffsetAge = factory.CreateGauge(
            "forecaster_held_offset_age_seconds", "Age of the oldest input offset of a partition with work outstanding (a held point, an unacknowledged forecast): what holds its committed offset back.",
            new GaugeConfiguration { LabelNames = ["topic", "partition"] });
        OffsetsOutstanding = factory.CreateGauge(
            "forecaster_offsets_outstanding", "Input offsets of a partition tracked with work outstanding (bounded by State:MaxOutstandingOffsets).",
            new GaugeConfiguration { LabelNames = ["topic", "partition"] });
        HeldPointsDetached = factory.CreateCounter("forecaster_held_points_detached_total", "Held points detached from their input offset after State:HeldPointMaxSeconds / HeldPointMaxStreamSeconds (kept in the series' state, saved by checkpoints).");
        LogFailures = factory.CreateCounter("forecaster_log_failures_total", "Log entries a logging provider failed to write (dropped; the worker goes on).");
        LoopErrors = factory.CreateCounter(
            "forecaster_loop_errors_total", "Exceptions caught in the consume loop's periodic work (the work is skipped this time; the worker goes on), by stage.",
            new CounterConfiguration { LabelNames = ["stage"] });
        BrokerUp = factory.CreateGauge("forecaster_broker_up", "1 while the last metadata probe of the Kafka cluster was answered, 0 while the brokers are unreachable.");

        foreach (var reason in RejectReasons.All)
        {
            RecordsInvalid.WithLabels(reason);
        }
    }

    public Counter RecordsConsumed { get; }
    public Counter RecordsInvalid { get; }
    public Counter PointsDropped { get; }
    public Counter PointsRepartitioned { get; }
    public Counter ForecastsPublished { get; }
    public Counter ForecastsDelivered { get; }
    public Counter ForecastsFallback { get; }
    public Counter Anomalies { get; }
    public Counter.Child AnomaliesUp { get; }
    public Counter.Child AnomaliesDown { get; }
    public Counter Rebalances { get; }
    public Gauge ConsumerLag { get; }
    public Counter ForecastBytes { get; }
    public Counter DeliveryErrors { get; }
    public Counter KafkaErrors { get; }
    public Counter SeriesEvicted { get; }
    public Gauge SeriesActive { get; }
    public Gauge PartitionsAssigned { get; }
    public Histogram StepDuration { get; }
    public Histogram BatchSize { get; }
    public Counter TrainingRuns { get; }
    public Histogram TrainingDuration { get; }
    public Gauge TrainingLastLoss { get; }
    public Gauge TrainingGradNorm { get; }
    public Gauge ModelVersion { get; }
    public Gauge OnlineScaledError { get; }
    public Gauge OnlineScaledErrorOneStep { get; }
    public Gauge OnlineCoverage { get; }
    public Gauge SeriesFallback { get; }
    public Gauge BuildInfo { get; }

    public Gauge SeriesWarmingUp { get; }

    public Histogram RestoreDuration { get; }
    public Counter RestoreFailures { get; }
    public Counter SeriesRestored { get; }
    public Histogram CheckpointDuration { get; }
    public Histogram CheckpointPause { get; }
    public Counter CheckpointBytes { get; }
    public Counter CheckpointFailures { get; }
    public Gauge CheckpointAge { get; }
    public Counter Transactions { get; }
    public Gauge BrokerUp { get; }
    public Counter LogFailures { get; }
    public Gauge CommittedLag { get; }
    public Gauge HeldOffsetAge { get; }
    public Gauge OffsetsOutstanding { get; }
    public Counter HeldPointsDetached { get; }
    public Counter LoopErrors { get; }

    /// <summary>The worker's informational version (assembly version when the build sets none).</summary>
    private static string Version =>
        typeof(ForecasterMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ForecasterMetrics).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Opt-in forecast gauges of allow-listed series (none unless configured).</summary>
    public ForecastGauges? Forecasts { get; init; }
}
