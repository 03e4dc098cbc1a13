using Confluent.Kafka;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>What the clients call back: errors and logs (any client), and the consumer's rebalance events (inside Consume; on the loop's thread, where <see cref="FetchAhead"/> hands them).</summary>
internal sealed record ClientHandlers(
    Action<Error> Error,
    Action<LogMessage> Log,
    Func<List<TopicPartition>, List<TopicPartitionOffset>> Assigned,
    Action<List<TopicPartitionOffset>> Revoked,
    Action<List<TopicPartitionOffset>> Lost);
