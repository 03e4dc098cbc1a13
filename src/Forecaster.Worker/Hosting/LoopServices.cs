using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// What the loop's collaborators share, made once per run by <see cref="ConsumeLoop"/>: the settings, the
/// clients, the one shard map and the one producer. Each collaborator takes what it needs from it; none
/// keeps state here.
/// </summary>
internal sealed record LoopServices(
    KafkaOptions Kafka,
    StateOptions State,
    ForecastSettings Settings,
    ForecasterMetrics Metrics,
    WorkerHealth Health,
    TimeProvider Time,
    ILogger Logger,
    LoopFailure Failure,
    IKafkaConsumer Consumer,
    RecordCollector Collector,
    ForecastPublisher Publisher,
    ShardManager Shards,
    CancellationToken Stopping)
{
    /// <summary>The bound of every wait on the producer.</summary>
    public TimeSpan FlushTimeout => TimeSpan.FromMilliseconds(Kafka.FlushTimeoutMs);

    /// <summary>The state topic's writer, null when checkpoints are off.</summary>
    public CheckpointWriter? Writer { get; init; }

    /// <summary>The re-keying of points whose key is not their series id, null with <c>Ingest:TrustKeys</c>.</summary>
    public Repartitioner? Repartition { get; init; }
}
