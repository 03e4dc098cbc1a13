using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Delivery;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Wiring only: the settings of the loop, and per run the clients and the collaborators around them, in
/// start-up order (clients, checkpoint writer and state reader, commit protocol started, broker probe, subscribe).
/// </summary>
internal sealed class LoopAssembly(
    KafkaOptions kafka, SeriesOptions series, ForecastOptions forecast, IngestOptions ingest, TrainingOptions training, StateOptions state,
    double anomalyThreshold, ForecasterMetrics metrics, WorkerHealth health, TimeProvider time, ILogger logger, LoopFailure failure, IKafkaClients clients,
    Profiles.ProfileSet? profiles = null)
{
    private readonly ForecastSettings _settings = forecast.ToSettings() with { AnomalyThreshold = anomalyThreshold };

    private readonly HeldPointReleaser? _heldPoints = state.Enabled
        ? new HeldPointReleaser(state.HeldPointMaxSeconds * time.TimestampFrequency, state.HeldPointMaxStreamSeconds * 1000L, state.MaxOutstandingOffsets)
        : null;

    /// <summary>Builds the clients and collaborators of one run and subscribes; <paramref name="consumed"/> counts the records consumed.</summary>
    public LoopRun Start(Func<long> consumed, CancellationToken stop)
    {
        var topics = kafka.InputTopics;
        WorkerLog.Starting(logger, string.Join(',', topics), kafka.GroupId, kafka.BootstrapServers);
        RebalanceListener? listener = null;
        var handlers = new ClientHandlers(failure.OnError, failure.OnLog, p => listener!.Assigned(p), p => listener!.Revoked(p), p => listener!.Lost(p));
        var run = new LoopRun();
        try
        {
            var producer = run.Own(clients.CreateProducer(kafka, handlers));
            var consumer = run.Own(kafka.FetchAhead ? new FetchAhead(h => clients.CreateConsumer(kafka, h), handlers, kafka.MaxBatchRecords) : clients.CreateConsumer(kafka, handlers));
            var collector = new RecordCollector(producer, health, metrics);
            var publisher = run.Own(new ForecastPublisher(collector, kafka.ForecastTopic, kafka.DeadLetterTopic, new ForecastRecordWriter(forecast.ModelName, forecast.Levels, profiles?.Profiles.Select(p => p.Name).ToArray()), metrics));
            var shards = new ShardManager(series, _settings, publisher, health, metrics, _heldPoints, profiles);
            var loop = new LoopServices(kafka, state, _settings, metrics, health, time, logger, failure, consumer, collector, publisher, shards, stop)
            {
                Writer = state.Enabled ? new CheckpointWriter(collector, kafka.StateTopic, _settings) : null,
                Repartition = ingest.TrustKeys ? null : run.Own(new Repartitioner(collector, kafka.RepartitionTopic, metrics)),
            };
            var restore = new StateManager(loop, state.Enabled ? clients.CreateStateReader(kafka, state, _settings) : null, training.RewarmSteps);
            var restores = new RestoreDriver(loop, restore);
            ICommitProtocol protocol = kafka.ExactlyOnce
                ? new TransactionalCommit(loop, new TransactionCalls(loop, collector.Producer), new ShardRewind(loop, restores), consumed)
                : loop.Writer is { } writer ? new CheckpointCommit(loop, writer) : new OffsetCommit(loop);
            listener = new RebalanceListener(loop, restores, protocol);
            run.Restores = restores;
            run.Services = loop;
            run.Protocol = protocol;
            run.Router = new RecordRouter(loop, ingest);
            run.Punctuators = [restores, new TrainingPoller(loop, training), protocol, new LagGauges(loop, _heldPoints)];
            protocol.Start();
            run.Own(clients.StartBrokerProbe(producer, topics[0], health, metrics, logger));
            consumer.Subscribe(ingest.TrustKeys ? topics : [.. topics, kafka.RepartitionTopic]);
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }
}
