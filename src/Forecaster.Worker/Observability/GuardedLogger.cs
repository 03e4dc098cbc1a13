using Microsoft.Extensions.Logging;
using Prometheus;

namespace Forecaster.Worker.Observability;

/// <summary>
/// A logger that never throws: a provider that fails to write an entry (the JSON console formatter refuses
/// NaN and infinities, a sink may be full or closed) costs that entry and one count of
/// <c>forecaster_log_failures_total</c>, never the consume loop. The loop and everything it hands its logger to log through one.
/// </summary>
internal sealed class GuardedLogger : ILogger
{
    private readonly ILogger _inner;
    private readonly Counter _failures;

    public GuardedLogger(ILogger inner, Counter failures)
    {
        _inner = inner is GuardedLogger guarded ? guarded._inner : inner;
        _failures = failures;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return _inner.BeginScope(state);
        }
#pragma warning disable CA1031 // Whatever a logging provider throws must not reach the loop.
        catch (Exception)
#pragma warning restore CA1031
        {
            _failures.Inc();
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
#pragma warning disable CA1031 // Whatever a logging provider throws must not reach the loop.
        catch (Exception)
#pragma warning restore CA1031
        {
            _failures.Inc();
        }
    }
}
