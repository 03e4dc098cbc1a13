using Confluent.Kafka;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The end of a run of <see cref="ConsumeLoop"/>, in order: finish a fetch in flight, stop training, step and settle what is pending, the
/// last checkpoint or commit (skipped after a fatal error), leave the group, flush the producer, drop the shards.
/// </summary>
internal static class LoopShutdown
{
    public static void Run(LoopRun run, long consumed)
    {
        var loop = run.Services;
        (loop.Consumer as FetchAhead)?.Finish(); // what it fetched ahead is read again after the restart
        loop.Shards.AbandonTraining();
        if (!loop.Failure.Failed)
        {
            run.Router.FlushShards();
            loop.Publisher.Flush(loop.FlushTimeout);
            run.Protocol.Settle();
            run.Protocol.Shutdown();
        }

        try
        {
            loop.Consumer.Close();
        }
        catch (KafkaException e)
        {
            loop.Failure.OnError(e.Error);
        }

        var inFlight = loop.Publisher.Flush(loop.FlushTimeout);
        loop.Shards.Clear();
        WorkerLog.Stopped(loop.Logger, consumed, inFlight);
    }
}
