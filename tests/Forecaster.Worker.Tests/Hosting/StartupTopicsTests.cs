using Forecaster.Worker.Commands;
using Forecaster.Worker.Hosting;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>
/// The start-up topic check against librdkafka's mock cluster, through the run command's own path: a missing
/// or too narrow state topic ends start-up with one line and exit code 2. The mock offers neither
/// DescribeConfigs nor CreateTopics, so cleanup.policy is a warning there and State:CreateTopics a failure line.
/// </summary>
[Collection(MockClusterTests.Name)]
public class StartupTopicsTests(MockClusterFixture cluster)
{
    private string[] Settings(string prefix, params string[] extra) =>
    [
        "--Kafka:BootstrapServers=" + cluster.BootstrapServers, $"--Kafka:InputTopic={prefix}.in", $"--Kafka:ForecastTopic={prefix}.out",
        $"--Kafka:DeadLetterTopic={prefix}.dlq", $"--Kafka:StateTopic={prefix}.state", $"--Kafka:RepartitionTopic={prefix}.rep", "--Http:Port=0", "--Logging:LogLevel:Default=Warning", .. extra,
    ];

    private void Topics(string prefix, int statePartitions)
    {
        cluster.CreateTopic(prefix + ".in", 4);
        cluster.CreateTopic(prefix + ".out", 4);
        cluster.CreateTopic(prefix + ".dlq", 1);
        cluster.CreateTopic(prefix + ".rep", 4);
        if (statePartitions > 0)
        {
            cluster.CreateTopic(prefix + ".state", statePartitions);
        }
    }

    private static async Task<(int Code, string[] Lines)> Run(string[] args)
    {
        using var errors = new StringWriter();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // should the check pass, the host would run: stop it
        var code = await RunCommand.RunHostAsync(WorkerHost.Build(args), bound.Token, errors);
        return (code, errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task A_missing_state_topic_is_one_line_and_exit_code_2()
    {
        Topics("topics-nostate", 0);
        var (code, lines) = await Run(Settings("topics-nostate"));
        Assert.Equal(2, code);
        Assert.StartsWith("forecaster: topic check failed: state topic topics-nostate.state does not exist", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_topic_narrower_than_the_input_is_one_line_and_exit_code_2()
    {
        Topics("topics-narrow", 2);
        var (code, lines) = await Run(Settings("topics-narrow"));
        Assert.Equal(2, code);
        Assert.Contains("state topic topics-narrow.state has 2 partitions, fewer than the 4 of input topic topics-narrow.in", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTopics_on_the_mock_which_refuses_CreateTopics_is_one_line_and_exit_code_2()
    {
        Topics("topics-create", 0);
        var (code, lines) = await Run(Settings("topics-create", "--State:CreateTopics=true"));
        Assert.Equal(2, code);
        Assert.StartsWith("forecaster: topic check failed: state topic topics-create.state does not exist and could not be created (State:CreateTopics): the broker did not answer CreateTopics", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_mock_every_check_but_cleanup_policy_is_made_and_that_one_is_a_warning()
    {
        Topics("topics-ok", 4);
        var app = WorkerHost.Build(Settings("topics-ok"));
        using var errors = new StringWriter();
        Assert.True(StartupTopics.Check(app.Services, errors, TimeSpan.FromSeconds(2)), errors.ToString());
        Assert.Empty(errors.ToString());

        var admin = new KafkaTopicAdmin(new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build(), TimeSpan.FromSeconds(2));
        Assert.Equal(4, admin.Partitions("topics-ok.state"));
        Assert.Null(admin.Partitions("topics-ok.absent"));
        var refused = Record.Exception(() => admin.CleanupPolicy("topics-ok.state"));
        Assert.True(refused is NotSupportedException, refused?.ToString());
        Assert.Contains("DescribeConfigs", refused!.Message, StringComparison.Ordinal);
        Assert.Null(admin.Partitions("topics-ok.absent")); // asking for metadata did not create it
    }
}
