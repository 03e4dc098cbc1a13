using Confluent.Kafka;
using Forecaster.Worker.Observability;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The fatal error that ends the loop (the first one wins), and the clients' error and log handlers that
/// feed it. Set from any thread (librdkafka calls the handlers on its own), read by the loop each turn.
/// </summary>
internal sealed class LoopFailure(ForecasterMetrics metrics, ILogger logger)
{
    private volatile Error? _fatal;

    /// <summary>The fatal error, if one happened.</summary>
    public Error? Fatal => _fatal;

    public bool Failed => _fatal is not null;

    /// <summary>Ends the loop with <paramref name="error"/> unless it is ending already.</summary>
    public void Fail(Error error) => _fatal ??= error;

    /// <summary>Counts and logs a client error; a fatal one ends the loop.</summary>
    public void OnError(Error error)
    {
        metrics.KafkaErrors.WithLabels(error.IsFatal ? "true" : "false").Inc();
        if (error.IsFatal)
        {
            WorkerLog.KafkaFatal(logger, error.Code.ToString(), error.Reason);
            Fail(error);
        }
        else
        {
            WorkerLog.KafkaError(logger, error.Code.ToString(), error.Reason);
        }
    }

    /// <summary>librdkafka's own log lines, at the matching level.</summary>
    public void OnLog(LogMessage message)
    {
        var level = message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        WorkerLog.Librdkafka(logger, level, message.Facility, message.Message);
    }
}
