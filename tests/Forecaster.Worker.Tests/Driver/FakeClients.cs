using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>The seam filled with the driver's fakes, all over one <see cref="FakeCluster"/>.</summary>
internal sealed class FakeClients(FakeCluster cluster, Action nextStep) : IKafkaClients
{
    public FakeProducer? Producer { get; private set; }

    public FakeConsumer? Consumer { get; private set; }

    public FakeStateReader? StateReader { get; private set; }

    public IKafkaProducer CreateProducer(KafkaOptions kafka, ClientHandlers handlers) => Producer = new FakeProducer(cluster);

    public IKafkaConsumer CreateConsumer(KafkaOptions kafka, ClientHandlers handlers) =>
        Consumer = new FakeConsumer(cluster, Producer!, handlers, kafka.GroupId, nextStep);

    public IStateReader CreateStateReader(KafkaOptions kafka, StateOptions state, ForecastSettings settings) =>
        StateReader = new FakeStateReader(cluster, kafka.StateTopic, settings);

    public IDisposable StartBrokerProbe(IKafkaProducer producer, string topic, WorkerHealth health, ForecasterMetrics metrics, ILogger logger) => new NoProbe();

    private sealed class NoProbe : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
