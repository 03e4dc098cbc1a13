using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Observability;

/// <summary>Source-generated log messages of the worker (never one per record at Information).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Consuming {Topics} as group {GroupId} from {BootstrapServers}")]
    public static partial void Starting(ILogger logger, string topics, string groupId, string bootstrapServers);

    [LoggerMessage(2, LogLevel.Information, "Partitions assigned: {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(3, LogLevel.Information, "Partitions revoked: {Partitions}")]
    public static partial void Revoked(ILogger logger, string partitions);

    [LoggerMessage(4, LogLevel.Warning, "Partitions lost, their state is dropped without storing offsets: {Partitions}")]
    public static partial void Lost(ILogger logger, string partitions);

    [LoggerMessage(5, LogLevel.Warning, "Kafka error {Code}: {Reason}")]
    public static partial void KafkaError(ILogger logger, string code, string reason);

    [LoggerMessage(6, LogLevel.Critical, "Fatal Kafka error {Code}: {Reason}; stopping")]
    public static partial void KafkaFatal(ILogger logger, string code, string reason);

    [LoggerMessage(7, LogLevel.Error, "Delivery failed ({Code}: {Reason}); stopping so that unacknowledged input is read again")]
    public static partial void DeliveryFailed(ILogger logger, string code, string reason);

    [LoggerMessage(8, LogLevel.Information, "Stopped: {Consumed} records consumed, {Outstanding} deliveries still in flight")]
    public static partial void Stopped(ILogger logger, long consumed, int outstanding);

    [LoggerMessage(9, LogLevel.Critical, "The consume loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 10, Message = "librdkafka {Facility}: {Message}")]
    public static partial void Librdkafka(ILogger logger, LogLevel level, string facility, string message);

    [LoggerMessage(11, LogLevel.Information, "{Kernels}")]
    public static partial void Kernels(ILogger logger, string kernels);

    /// <summary>A score that is not a number (nothing could be scored) is null: the JSON console formatter throws on NaN and infinities.</summary>
    [LoggerMessage(40, LogLevel.Information, "Retraining of {Topic}[{Partition}] shape {Shape} ended {Outcome} after {Seconds:F1} s: held-out score challenger {Challenger:F4}, champion {Champion:F4}, baseline {Baseline:F4} over {Series} series; model version {Version} serves")]
    public static partial void TrainingEnded(ILogger logger, string topic, int partition, string shape, string outcome, double seconds, double? challenger, double? champion, double? baseline, int series, long version);

    [LoggerMessage(41, LogLevel.Error, "Retraining of {Topic}[{Partition}] failed; the serving model is kept")]
    public static partial void TrainingFailed(ILogger logger, string topic, int partition, Exception exception);
}
