using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Observability;

/// <summary>Log messages of checkpoints and restore (event ids 50–59).</summary>
internal static partial class StateLog
{
    [LoggerMessage(50, LogLevel.Information, "Restoring {Topic} [{Partition}] from the state topic")]
    public static partial void Restoring(ILogger logger, string topic, int partition);

    [LoggerMessage(51, LogLevel.Information, "Restored {Topic} [{Partition}]: {Series} series, models {ModelVersions}, checkpoint {Sequence}, resuming at offset {Offset} after {Seconds:F3} s")]
    public static partial void Restored(ILogger logger, string topic, int partition, int series, string modelVersions, long sequence, long offset, double seconds);

    [LoggerMessage(52, LogLevel.Information, "No saved state for {Topic} [{Partition}]; starting from the committed offset")]
    public static partial void NoState(ILogger logger, string topic, int partition);

    [LoggerMessage(53, LogLevel.Error, "Saved state of {Topic} [{Partition}] refused, starting clean from the committed offset: {Reason}")]
    public static partial void Refused(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(54, LogLevel.Critical, "Restoring {Topic} [{Partition}] failed; stopping: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(55, LogLevel.Warning, "Checkpoint not acknowledged ({Reason}); offsets stay at the last checkpoint and the next one is full")]
    public static partial void CheckpointFailed(ILogger logger, string reason);

    [LoggerMessage(56, LogLevel.Debug, "Checkpoint of {Shards} shards: {Bytes} bytes in {Seconds:F3} s")]
    public static partial void Checkpointed(ILogger logger, int shards, long bytes, double seconds);

    [LoggerMessage(58, LogLevel.Warning, "State of {Topic} [{Partition}] restored across a model-shape change ({Change}): {Series} series keep their smoothing state, history and accuracy, their LSTM states re-warmed; {Model}")]
    public static partial void ShapeChanged(ILogger logger, string topic, int partition, string change, int series, string model);

    [LoggerMessage(57, LogLevel.Debug, "Checkpoint of {Topic} [{Partition}] begun: sequence {Sequence}, {Series} series records, input offset {Offset}; the partition is paused until it is acknowledged")]
    public static partial void CheckpointBegun(ILogger logger, string topic, int partition, long sequence, int series, long offset);
}
