namespace Forecaster.Worker.Hosting;

/// <summary>What the start-up topic check asks of the cluster (<see cref="KafkaTopicAdmin"/>; a seam for tests).</summary>
internal interface ITopicAdmin
{
    /// <summary>The partition count of <paramref name="topic"/>, or null when it does not exist.</summary>
    int? Partitions(string topic);

    /// <summary>The <c>cleanup.policy</c> of <paramref name="topic"/>.</summary>
    /// <exception cref="NotSupportedException">The broker does not answer DescribeConfigs (librdkafka's mock cluster).</exception>
    string CleanupPolicy(string topic);

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions (-1: the broker's default) and <paramref name="config"/>.</summary>
    /// <exception cref="NotSupportedException">The broker does not support CreateTopics (librdkafka's mock cluster).</exception>
    /// <exception cref="InvalidOperationException">The broker refused the topic (the message says why).</exception>
    void Create(string topic, int partitions, IReadOnlyDictionary<string, string> config);
}
