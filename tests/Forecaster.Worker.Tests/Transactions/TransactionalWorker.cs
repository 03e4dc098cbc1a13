using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>A consume loop in exactly-once mode on its own thread, with an optional commit fault set before it starts.</summary>
internal sealed class TransactionalWorker : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;

    public TransactionalWorker(KafkaOptions kafka, Func<long, Error?>? commitFault = null)
    {
        Metrics = new ForecasterMetrics(new CollectorRegistry());
        Health = new WorkerHealth(TimeProvider.System);
        Loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(StateWorker.Series),
            Microsoft.Extensions.Options.Options.Create(StateWorker.Model),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            Metrics, Health, TimeProvider.System, NullLogger<ConsumeLoop>.Instance,
            state: Microsoft.Extensions.Options.Options.Create(new StateOptions { CheckpointIntervalSeconds = 1, RestoreTimeoutSeconds = 30 }))
        {
            CommitFault = commitFault,
        };
        _thread = new Thread(Run) { IsBackground = true, Name = "transactional test consume loop" };
        _thread.Start();
    }

    public ConsumeLoop Loop { get; }
    public ForecasterMetrics Metrics { get; }
    public WorkerHealth Health { get; }

    public bool IsRunning => _thread.IsAlive;

    /// <summary>
    /// Exactly-once options with their own topics. The producer lingers for 30 s: a commit sends what
    /// its transaction holds at once, while an aborted transaction's records never leave the process. The
    /// mock broker shows aborted records to read_committed readers (it keeps no transaction index), so this
    /// is what makes an abort observable on it.
    /// </summary>
    public static KafkaOptions Kafka(string bootstrap, string prefix)
    {
        var kafka = StateWorker.Kafka(bootstrap, prefix);
        kafka.ExactlyOnce = true;
        kafka.TransactionalId = prefix + "-tx";
        kafka.TransactionIntervalMs = 100;
        kafka.Client["linger.ms"] = "30000";
        return kafka;
    }

    public void Stop()
    {
        _stop.Cancel();
        Assert.True(_thread.Join(TimeSpan.FromSeconds(30)), "the consume loop did not stop");
        Assert.Null(_failure);
        Assert.Null(Loop.FatalError);
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(30));
        }

        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            Loop.Run(_stop.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or KafkaException)
        {
            _failure = e;
        }
    }
}
