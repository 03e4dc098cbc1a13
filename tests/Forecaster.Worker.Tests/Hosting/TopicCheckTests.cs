using Forecaster.Worker.Hosting;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>The decisions of the start-up topic check (issue 15 item 4), through a fake admin client.</summary>
public class TopicCheckTests
{
    private static readonly KafkaOptions Kafka = new() { InputTopic = "in.a, in.b", ForecastTopic = "out", DeadLetterTopic = "dlq", StateTopic = "state", RepartitionTopic = "rep" };

    private static FakeAdmin Healthy() => new()
    {
        Topics = { ["in.a"] = 4, ["in.b"] = 6, ["out"] = 6, ["dlq"] = 1, ["state"] = 6, ["rep"] = 6 },
        Policies = { ["state"] = "compact" },
    };

    [Fact]
    public void Topics_as_they_should_be_pass_without_a_line()
    {
        var report = TopicCheck.Run(Healthy(), Kafka, new StateOptions());
        Assert.Empty(report.Failures);
        Assert.Empty(report.Warnings);
        Assert.Empty(report.Created);
    }

    [Theory]
    [InlineData("state", "state topic state does not exist")]
    [InlineData("out", "forecast topic out does not exist")]
    [InlineData("dlq", "dead-letter topic dlq does not exist")]
    [InlineData("in.b", "input topic in.b does not exist")]
    [InlineData("rep", "repartition topic rep does not exist")]
    public void A_missing_topic_is_one_failure_naming_it(string missing, string line)
    {
        var admin = Healthy();
        admin.Topics.Remove(missing);
        var failure = Assert.Single(TopicCheck.Run(admin, Kafka, new StateOptions()).Failures);
        Assert.StartsWith(line, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_state_partitions_than_the_widest_input_topic_fail()
    {
        var admin = Healthy();
        admin.Topics["state"] = 4;
        var failure = Assert.Single(TopicCheck.Run(admin, Kafka, new StateOptions()).Failures);
        Assert.Contains("has 4 partitions, fewer than the 6 of input topic in.b", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("compact,delete")]
    public void A_state_topic_that_is_not_only_compacted_fails(string policy)
    {
        var admin = Healthy();
        admin.Policies["state"] = policy;
        var failure = Assert.Single(TopicCheck.Run(admin, Kafka, new StateOptions()).Failures);
        Assert.Contains($"cleanup.policy={policy}, it needs compact", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_without_DescribeConfigs_is_a_warning_and_every_other_check_is_still_made()
    {
        var admin = Healthy();
        admin.DescribeConfigs = false;
        admin.Topics["state"] = 2;
        var report = TopicCheck.Run(admin, Kafka, new StateOptions());
        Assert.Contains("cleanup.policy of state topic state not checked", Assert.Single(report.Warnings), StringComparison.Ordinal);
        Assert.Contains("has 2 partitions", Assert.Single(report.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_pattern_is_a_warning_not_a_missing_topic()
    {
        var report = TopicCheck.Run(Healthy(), new KafkaOptions { InputTopic = "^in\\..*, in.b", ForecastTopic = "out", DeadLetterTopic = "dlq", StateTopic = "state", RepartitionTopic = "rep" }, new StateOptions());
        Assert.Empty(report.Failures);
        Assert.Contains("input topic pattern", Assert.Single(report.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_checkpoints_the_state_topic_is_not_needed()
    {
        var admin = Healthy();
        admin.Topics.Remove("state");
        Assert.Empty(TopicCheck.Run(admin, Kafka, new StateOptions { CheckpointIntervalSeconds = 0 }).Failures);
    }

    [Fact]
    public void CreateTopics_creates_the_missing_ones_with_the_right_settings()
    {
        var admin = Healthy();
        admin.Topics.Remove("state");
        admin.Topics.Remove("out");
        admin.Topics.Remove("dlq");
        var report = TopicCheck.Run(admin, Kafka, new StateOptions { CreateTopics = true });

        Assert.Empty(report.Failures);
        Assert.Equal(3, report.Created.Count);
        Assert.Equal((6, "compact"), (admin.Topics["state"], admin.Policies["state"]));
        Assert.Equal(6, admin.Topics["out"]);
        Assert.Equal(6, admin.Topics["dlq"]);
        Assert.DoesNotContain("out", admin.Policies.Keys);
    }

    [Fact]
    public void CreateTopics_never_touches_an_existing_topic_and_a_refused_create_is_a_failure()
    {
        var admin = Healthy();
        admin.Topics["state"] = 2;
        admin.Topics.Remove("out");
        admin.CreateTopics = false;
        var report = TopicCheck.Run(admin, Kafka, new StateOptions { CreateTopics = true });

        Assert.Equal(2, admin.Topics["state"]);
        Assert.Equal(2, report.Failures.Count);
        Assert.Contains(report.Failures, f => f.StartsWith("forecast topic out does not exist and could not be created", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Contains("has 2 partitions", StringComparison.Ordinal));
    }

    [Fact]
    public void CreateTopics_without_an_input_topic_does_not_guess_the_state_partition_count()
    {
        var admin = Healthy();
        admin.Topics.Remove("in.a");
        admin.Topics.Remove("in.b");
        admin.Topics.Remove("state");
        var report = TopicCheck.Run(admin, Kafka, new StateOptions { CreateTopics = true });
        Assert.DoesNotContain("state", admin.Topics.Keys);
        Assert.Contains(report.Failures, f => f.StartsWith("state topic state does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void The_repartition_topic_is_needed_unless_keys_are_trusted_and_the_state_topic_must_be_as_wide()
    {
        var admin = Healthy();
        admin.Topics.Remove("rep");
        Assert.Empty(TopicCheck.Run(admin, Kafka, new StateOptions(), trustKeys: true).Failures);

        admin.Topics["rep"] = 8;
        var failure = Assert.Single(TopicCheck.Run(admin, Kafka, new StateOptions()).Failures);
        Assert.StartsWith("state topic state has 6 partitions, fewer than the 8 of repartition topic rep", failure, StringComparison.Ordinal);

        admin.Topics.Remove("rep");
        var report = TopicCheck.Run(admin, Kafka, new StateOptions { CreateTopics = true });
        Assert.Empty(report.Failures);
        Assert.Equal(6, admin.Topics["rep"]);
        Assert.DoesNotContain("rep", admin.Policies.Keys);
    }

    private sealed class FakeAdmin : ITopicAdmin
    {
        public Dictionary<string, int> Topics { get; } = [];

        public Dictionary<string, string> Policies { get; } = [];

        public bool DescribeConfigs { get; set; } = true;

        public bool CreateTopics { get; set; } = true;

        public int? Partitions(string topic) => Topics.TryGetValue(topic, out var p) ? p : null;

        public string CleanupPolicy(string topic) =>
            DescribeConfigs ? Policies.GetValueOrDefault(topic, "delete") : throw new NotSupportedException("the broker does not answer DescribeConfigs");

        public void Create(string topic, int partitions, IReadOnlyDictionary<string, string> config)
        {
            if (!CreateTopics)
            {
                throw new NotSupportedException("the broker does not support CreateTopics");
            }

            Topics.Add(topic, partitions);
            if (config.TryGetValue("cleanup.policy", out var policy))
            {
                Policies[topic] = policy;
            }
        }
    }
}
