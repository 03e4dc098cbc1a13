using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Observability;

/// <summary>A logger scope naming one input partition, so every line written inside it carries <c>topic</c> and <c>partition</c> in the JSON log.</summary>
internal static class PartitionScope
{
    public static IDisposable? Begin(ILogger logger, string topic, int partition) =>
        logger.BeginScope(new KeyValuePair<string, object>[] { new("topic", topic), new("partition", partition) });
}
