using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Observability;

/// <summary>Log lines of the start-up topic check (event ids 60 to 62).</summary>
internal static partial class TopicLog
{
    [LoggerMessage(60, LogLevel.Information, "Topic check: {What}")]
    public static partial void Created(ILogger logger, string what);

    [LoggerMessage(61, LogLevel.Warning, "Topic check: {What}")]
    public static partial void Unchecked(ILogger logger, string what);

    [LoggerMessage(62, LogLevel.Warning, "Topics not checked at start, the cluster did not answer: {Reason}")]
    public static partial void NotChecked(ILogger logger, string reason);
}
