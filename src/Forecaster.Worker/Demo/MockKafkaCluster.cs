using Confluent.Kafka;

namespace Forecaster.Worker.Demo;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka protocol over TCP on 127.0.0.1, alive as long as
/// this object. Topics are created on first produce (4 partitions) or by <see cref="CreateTopic"/>; CreateTopics is not supported.
/// </summary>
internal sealed class MockKafkaCluster : IDisposable
{
    private readonly IAdminClient _host;

    /// <exception cref="KafkaException">The cluster did not come up.</exception>
    public MockKafkaCluster(int brokers = 1)
    {
        var config = new AdminClientConfig
        {
            BootstrapServers = "mock:9092",
            LogConnectionClose = false,
        };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _host = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = _host.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(',', metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    /// <summary>The listeners to give every other client, <c>127.0.0.1:port</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions, before its first use (see <see cref="MockTopics"/>).</summary>
    /// <exception cref="InvalidOperationException">The mock refused it (it exists already).</exception>
    public void CreateTopic(string topic, int partitions) => MockTopics.Create(_host, topic, partitions);

    public void Dispose() => _host.Dispose();
}
