using Forecaster.Worker.Options;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The topics checked before the worker starts: every input topic exists; the forecast and dead-letter topics
/// exist; with checkpoints on, the state topic exists, has <c>cleanup.policy=compact</c> (only: <c>delete</c>
/// would let retention drop series records no later checkpoint rewrites) and at least as many partitions as
/// every input topic (shard p checkpoints to state partition p). Unless <c>Ingest:TrustKeys</c>, the repartition
/// topic exists too, and the state topic has at least its partition count. With <c>State:CreateTopics</c> a missing
/// output, repartition or state topic is created: the state topic compacted with the input's partition count, the
/// others with the input's partition count and the broker's defaults. A check the broker cannot answer (DescribeConfigs
/// on librdkafka's mock) is a warning, never a silent pass; every other finding is a failure line.
/// </summary>
internal static class TopicCheck
{
    /// <summary>The settings of a created state topic.</summary>
    public static readonly IReadOnlyDictionary<string, string> StateTopicConfig = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };

    /// <summary>Checks (and, when allowed, creates) the topics of <paramref name="kafka"/> through <paramref name="admin"/>.</summary>
    public static TopicCheckReport Run(ITopicAdmin admin, KafkaOptions kafka, StateOptions state, bool trustKeys = false)
    {
        var report = new TopicCheckReport();
        string? widest = null;
        var inputPartitions = 0;
        foreach (var topic in kafka.InputTopic.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (topic.StartsWith('^'))
            {
                report.Warnings.Add($"input topic pattern {topic} not checked: the state topic needs at least as many partitions as every topic it matches");
            }
            else if (admin.Partitions(topic) is not { } partitions)
            {
                report.Failures.Add($"input topic {topic} does not exist (Kafka:InputTopic; create it before the worker starts)");
            }
            else if (partitions > inputPartitions)
            {
                (widest, inputPartitions) = ($"input topic {topic}", partitions);
            }
        }

        var create = inputPartitions > 0 ? inputPartitions : -1;
        Require(admin, report, "forecast topic", "Kafka:ForecastTopic", kafka.ForecastTopic, state.CreateTopics, create, new Dictionary<string, string>());
        if (!string.IsNullOrWhiteSpace(kafka.DeadLetterTopic))
        {
            Require(admin, report, "dead-letter topic", "Kafka:DeadLetterTopic", kafka.DeadLetterTopic, state.CreateTopics, create, new Dictionary<string, string>());
        }

        if (!trustKeys)
        {
            Require(admin, report, "repartition topic", "Kafka:RepartitionTopic", kafka.RepartitionTopic, state.CreateTopics, create, new Dictionary<string, string>());
            if (admin.Partitions(kafka.RepartitionTopic) is { } partitions && partitions > inputPartitions && inputPartitions > 0)
            {
                (widest, inputPartitions) = ($"repartition topic {kafka.RepartitionTopic}", partitions); // its shards checkpoint to the state topic too
            }
        }

        if (state.Enabled)
        {
            CheckState(admin, report, kafka.StateTopic, state.CreateTopics, widest, inputPartitions);
        }

        return report;
    }

    private static void CheckState(ITopicAdmin admin, TopicCheckReport report, string topic, bool createTopics, string? widest, int inputPartitions)
    {
        var partitions = admin.Partitions(topic);
        if (partitions is null)
        {
            if (createTopics && inputPartitions > 0)
            {
                Create(admin, report, "state topic", topic, inputPartitions, StateTopicConfig);
            }
            else
            {
                report.Failures.Add($"state topic {topic} does not exist (Kafka:StateTopic; create it compacted with at least {Math.Max(1, inputPartitions)} partitions, or set State:CreateTopics=true)");
            }

            return;
        }

        if (partitions < inputPartitions)
        {
            report.Failures.Add($"state topic {topic} has {partitions} partitions, fewer than the {inputPartitions} of {widest}: the checkpoints of partitions {partitions} and up could not be written (add partitions to the state topic)");
        }

        try
        {
            var policy = admin.CleanupPolicy(topic);
            if (!string.Equals(policy.Trim(), "compact", StringComparison.Ordinal))
            {
                report.Failures.Add($"state topic {topic} has cleanup.policy={policy}, it needs compact (delete lets retention drop saved series state; kafka-configs --alter --entity-type topics --entity-name {topic} --add-config cleanup.policy=compact)");
            }
        }
        catch (NotSupportedException e)
        {
            report.Warnings.Add($"cleanup.policy of state topic {topic} not checked: {e.Message}; it must be compact, or restarts after retention lose state");
        }
    }

    private static void Require(ITopicAdmin admin, TopicCheckReport report, string what, string setting, string topic, bool createTopics, int partitions, IReadOnlyDictionary<string, string> config)
    {
        if (admin.Partitions(topic) is not null)
        {
            return;
        }

        if (createTopics)
        {
            Create(admin, report, what, topic, partitions, config);
        }
        else
        {
            report.Failures.Add($"{what} {topic} does not exist ({setting}; create it, or set State:CreateTopics=true)");
        }
    }

    private static void Create(ITopicAdmin admin, TopicCheckReport report, string what, string topic, int partitions, IReadOnlyDictionary<string, string> config)
    {
        try
        {
            admin.Create(topic, partitions, config);
            var settings = string.Join(", ", config.Select(c => $"{c.Key}={c.Value}"));
            report.Created.Add($"{what} {topic} created ({(partitions > 0 ? partitions.ToString(System.Globalization.CultureInfo.InvariantCulture) : "the broker's default")} partitions{(settings.Length > 0 ? ", " + settings : "")})");
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            report.Failures.Add($"{what} {topic} does not exist and could not be created (State:CreateTopics): {e.Message}");
        }
    }
}
