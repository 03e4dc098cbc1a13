using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Observability;

/// <summary>Log lines of a shard's initial model (<c>Training:StartFrom</c>).</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(90, LogLevel.Information, "Partition {Topic}/{Partition} starts from the pretrained model {Shape} (version {Version})")]
    public static partial void StartsPretrained(ILogger logger, string topic, int partition, string shape, long version);

    [LoggerMessage(91, LogLevel.Warning, "Partition {Topic}/{Partition}: no pretrained model has shape {Shape} and quantile levels {Levels}; it starts from random weights (seed {Seed})")]
    public static partial void NoPretrained(ILogger logger, string topic, int partition, string shape, string levels, int seed);
}
