using Forecaster.Worker.Demo;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>One in-process librdkafka mock cluster shared by the integration tests (each uses its own topics and group).</summary>
public sealed class MockClusterFixture : IDisposable
{
    private readonly MockKafkaCluster _cluster = new();

    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions before its first use.</summary>
    public void CreateTopic(string topic, int partitions) => _cluster.CreateTopic(topic, partitions);

    public void Dispose() => _cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MockClusterTests : ICollectionFixture<MockClusterFixture>
{
    public const string Name = "mock kafka cluster";
}
