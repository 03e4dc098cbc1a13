using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// The real Confluent clients, with a producer whose transactions fail to commit as a broker's would:
/// given the number of transactions committed so far, <c>fault</c> returns the error to fail the next one with
/// (thrown once the offsets are sent, as <see cref="KafkaTxnRequiresAbortException"/>), or null to let it commit.
/// </summary>
internal sealed class CommitFaultClients(Func<long, Error?> fault) : IKafkaClients
{
    private readonly KafkaClientFactory _real = new();

    public IKafkaProducer CreateProducer(KafkaOptions kafka, ClientHandlers handlers) => new FaultingProducer(_real.CreateProducer(kafka, handlers), fault);

    public IKafkaConsumer CreateConsumer(KafkaOptions kafka, ClientHandlers handlers) => _real.CreateConsumer(kafka, handlers);

    public IStateReader CreateStateReader(KafkaOptions kafka, StateOptions state, ForecastSettings settings) => _real.CreateStateReader(kafka, state, settings);

    public IDisposable StartBrokerProbe(IKafkaProducer producer, string topic, WorkerHealth health, ForecasterMetrics metrics, ILogger logger) =>
        _real.StartBrokerProbe(((FaultingProducer)producer).Inner, topic, health, metrics, logger);

    private sealed class FaultingProducer(IKafkaProducer inner, Func<long, Error?> fault) : IKafkaProducer
    {
        private long _committed;

        public IKafkaProducer Inner => inner;

        public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) => inner.Produce(topic, message, onDelivery);

        public void Produce(TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery) => inner.Produce(partition, message, onDelivery);

        public int Flush(TimeSpan timeout) => inner.Flush(timeout);

        public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

        public void BeginTransaction() => inner.BeginTransaction();

        public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout)
        {
            inner.SendOffsetsToTransaction(offsets, group, timeout);
            if (fault(_committed) is { } error)
            {
                throw new KafkaTxnRequiresAbortException(error);
            }
        }

        public void CommitTransaction(TimeSpan timeout)
        {
            inner.CommitTransaction(timeout);
            _committed++;
        }

        public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

        public void Dispose() => inner.Dispose();
    }
}
