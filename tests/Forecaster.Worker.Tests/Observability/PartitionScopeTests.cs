using Forecaster.Worker.Observability;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Tests.Observability;

public class PartitionScopeTests
{
    [Fact]
    public void The_scope_names_the_topic_and_partition_as_structured_fields()
    {
        var logger = new ScopeRecorder();
        using (PartitionScope.Begin(logger, "metrics", 3))
        {
            var fields = Assert.IsType<KeyValuePair<string, object>[]>(logger.Scope);
            Assert.Contains(new KeyValuePair<string, object>("topic", "metrics"), fields);
            Assert.Contains(new KeyValuePair<string, object>("partition", 3), fields);
        }
    }

    private sealed class ScopeRecorder : ILogger
    {
        public object? Scope { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            Scope = state;
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
