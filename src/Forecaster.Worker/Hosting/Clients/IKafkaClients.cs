using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting.Clients;

/// <summary>
/// Where the loop gets its Kafka clients: the consumer, the producer, the state topic's reader and the
/// broker probe. <see cref="KafkaClientFactory"/> builds the Confluent ones; the test driver builds fakes.
/// </summary>
internal interface IKafkaClients
{
    IKafkaProducer CreateProducer(KafkaOptions kafka, ClientHandlers handlers);

    IKafkaConsumer CreateConsumer(KafkaOptions kafka, ClientHandlers handlers);

    /// <summary>Reads a shard's last checkpoint back from the state topic (any thread; several at once).</summary>
    IStateReader CreateStateReader(KafkaOptions kafka, StateOptions state, ForecastSettings settings);

    /// <summary>Starts watching whether the brokers answer (see <see cref="BrokerProbe"/>); disposing stops it.</summary>
    IDisposable StartBrokerProbe(IKafkaProducer producer, string topic, WorkerHealth health, ForecasterMetrics metrics, ILogger logger);
}
