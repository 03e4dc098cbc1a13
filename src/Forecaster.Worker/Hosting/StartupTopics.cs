using Confluent.Kafka;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Runs <see cref="TopicCheck"/> once before the host starts, through an admin client of the worker's own
/// Kafka settings: each failure is one line on <c>errors</c> (start-up then ends with exit code 2, as for a bad
/// setting); warnings and created topics are logged. A cluster that does not answer within <see cref="Timeout"/>
/// is logged and the worker starts anyway: an outage is no bad setting, and the worker rides it out.
/// </summary>
internal static class StartupTopics
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>False when a topic is wrong: the lines are on <paramref name="errors"/>. Each admin request waits up to <paramref name="timeout"/> (default <see cref="Timeout"/>).</summary>
    public static bool Check(IServiceProvider services, TextWriter errors, TimeSpan? timeout = null)
    {
        var kafka = services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        var state = services.GetRequiredService<IOptions<StateOptions>>().Value;
        var ingest = services.GetRequiredService<IOptions<IngestOptions>>().Value;
        if (!state.CheckTopics)
        {
            return true;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TopicCheck).FullName!);
        using var client = new AdminClientBuilder(KafkaClientFactory.AdminConfig(kafka)).SetLogHandler((_, _) => { }).Build();
        TopicCheckReport report;
        try
        {
            report = TopicCheck.Run(new KafkaTopicAdmin(client, timeout ?? Timeout), kafka, state, ingest.TrustKeys);
        }
        catch (KafkaException e)
        {
            TopicLog.NotChecked(logger, e.Error.Reason);
            return true;
        }

        foreach (var created in report.Created)
        {
            TopicLog.Created(logger, created);
        }

        foreach (var warning in report.Warnings)
        {
            TopicLog.Unchecked(logger, warning);
        }

        foreach (var failure in report.Failures)
        {
            errors.WriteLine($"forecaster: topic check failed: {failure}");
        }

        return report.Failures.Count == 0;
    }
}
