using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// <see cref="ITopicAdmin"/> over the Confluent.Kafka admin client: Metadata for existence and partition counts,
/// DescribeConfigs for <c>cleanup.policy</c>, CreateTopics. A broker that does not offer DescribeConfigs or
/// CreateTopics (librdkafka's mock has no handler for either: librdkafka waits for a controller and times out), or does not answer in time, is reported as
/// <see cref="NotSupportedException"/>, which the caller turns into a warning or a failure line.
/// </summary>
internal sealed class KafkaTopicAdmin(IAdminClient admin, TimeSpan timeout) : ITopicAdmin
{
    private Metadata? _metadata;

    /// <remarks>
    /// Asks for every topic's metadata (once, again after a create) rather than for one topic's: a request naming
    /// the topic would let librdkafka's producer-side handle ask the broker to auto-create it (the mock and any
    /// broker with auto.create.topics.enable do), and the check would find what it just created.
    /// </remarks>
    public int? Partitions(string topic)
    {
        _metadata ??= admin.GetMetadata(timeout);
        var found = _metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (found is null || found.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic)
        {
            return null;
        }

        return found.Error.IsError ? throw new KafkaException(found.Error) : found.Partitions.Count;
    }

    public string CleanupPolicy(string topic)
    {
        try
        {
            var results = admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }], new DescribeConfigsOptions { RequestTimeout = timeout })
                .GetAwaiter().GetResult();
            return results[0].Entries.TryGetValue("cleanup.policy", out var entry) ? entry.Value : "delete";
        }
        catch (KafkaException e) when (Unsupported(e.Error) || e.Error.Code == ErrorCode.Local_TimedOut)
        {
            // The mock answers Metadata (just asked) but offers no DescribeConfigs: librdkafka waits for a
            // controller that never comes and times out.
            throw new NotSupportedException($"the broker did not answer DescribeConfigs within {timeout.TotalSeconds:0.#} s ({e.Error.Reason})", e);
        }
        catch (DescribeConfigsException e) when (e.Results.Any(r => Unsupported(r.Error)))
        {
            throw new NotSupportedException($"the broker does not answer DescribeConfigs ({e.Message})", e);
        }
    }

    public void Create(string topic, int partitions, IReadOnlyDictionary<string, string> config)
    {
        try
        {
            admin.CreateTopicsAsync(
                [new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = -1, Configs = new Dictionary<string, string>(config) }],
                new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout }).GetAwaiter().GetResult();
            _metadata = null;
        }
        catch (KafkaException e) when (Unsupported(e.Error) || e.Error.Code == ErrorCode.Local_TimedOut)
        {
            throw new NotSupportedException($"the broker did not answer CreateTopics within {timeout.TotalSeconds:0.#} s ({e.Error.Reason})", e);
        }
        catch (CreateTopicsException e) when (e.Results.Any(r => Unsupported(r.Error)))
        {
            throw new NotSupportedException($"the broker does not support CreateTopics ({e.Message})", e);
        }
        catch (CreateTopicsException e)
        {
            throw new InvalidOperationException(string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(r => r.Error.Reason)), e);
        }
    }

    private static bool Unsupported(Error error) =>
        error.Code is ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.InvalidRequest;
}
