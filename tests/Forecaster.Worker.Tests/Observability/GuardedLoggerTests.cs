using Forecaster.Worker.Observability;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Tests.Observability;

public class GuardedLoggerTests
{
    [Fact]
    public void A_provider_that_throws_costs_the_entry_and_a_count_never_the_caller()
    {
        var metrics = new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry());
        var logger = new GuardedLogger(new JsonStateLogger(), metrics.LogFailures);

        // The same entry the JSON console formatter refused with NaN scores (issue 15's crash loop).
        WorkerLog.Stopped(logger, 1, 0);
        List<KeyValuePair<string, object?>> state = [new("Score", double.PositiveInfinity)];
        logger.Log(LogLevel.Information, new EventId(40), state, null, (_, _) => "x");

        Assert.Equal(1, metrics.LogFailures.Value);
    }
}
