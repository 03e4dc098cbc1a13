using Confluent.Kafka;
using Forecaster.Worker.Demo;

namespace Forecaster.Worker.Tests.Hosting;

public sealed class MockTopicsTests
{
    [Fact]
    public async Task CreatedTopicHasTheRequestedPartitionsForEveryClient()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("mock.topics.eight", 8);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var topic = Assert.Single(admin.GetMetadata("mock.topics.eight", TimeSpan.FromSeconds(10)).Topics);
        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        Assert.Equal(Enumerable.Range(0, 8), topic.Partitions.Select(p => p.PartitionId).Order());

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var delivered = await producer.ProduceAsync(new TopicPartition("mock.topics.eight", 7), new Message<Null, string> { Value = "x" });
        Assert.Equal(new TopicPartitionOffset("mock.topics.eight", 7, 0), delivered.TopicPartitionOffset);
    }

    [Fact]
    public void ExistingTopicIsRefused()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("mock.topics.twice", 2);

        var error = Assert.Throws<InvalidOperationException>(() => cluster.CreateTopic("mock.topics.twice", 2));
        Assert.Contains("mock.topics.twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientWithoutMockClusterIsRefused()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = "127.0.0.1:1" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => MockTopics.Create(admin, "mock.topics.none", 2));
        Assert.Contains("no mock cluster", error.Message, StringComparison.Ordinal);
    }
}
