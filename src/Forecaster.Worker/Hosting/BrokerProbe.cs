using Confluent.Kafka;
using Forecaster.Worker.Observability;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Asks the cluster for the input topic's metadata every <see cref="Interval"/> on a thread of its own,
/// through the producer's connections, and reports whether it answered within <see cref="Timeout"/>:
/// <c>forecaster_broker_up</c> and readiness follow it. A paused or partitioned broker keeps its TCP
/// connections open, so librdkafka reports no error for a long while; an unanswered request is the
/// earliest sign. Liveness does not depend on it: a restart cannot fix a broker outage.
/// </summary>
internal sealed class BrokerProbe : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly IAdminClient _admin;
    private readonly string _topic;
    private readonly WorkerHealth _health;
    private readonly ForecasterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <summary>Probes through the connections of the client whose <paramref name="handle"/> is given (the producer's).</summary>
    public BrokerProbe(Handle handle, string topic, WorkerHealth health, ForecasterMetrics metrics, ILogger logger)
    {
        _admin = new DependentAdminClientBuilder(handle).Build();
        _topic = topic;
        _health = health;
        _metrics = metrics;
        _logger = logger;
        _metrics.BrokerUp.Set(1);
        _thread = new Thread(Run) { IsBackground = true, Name = "broker probe" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _admin.Dispose();
        _stop.Dispose();
        _health.SetBrokerUp(true);
    }

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(Interval))
        {
            string? failure = null;
            try
            {
                _admin.GetMetadata(_topic, Timeout);
            }
            catch (KafkaException e)
            {
                failure = e.Error.Reason;
            }

            var up = failure is null;
            if (up != _health.BrokerUp)
            {
                if (up)
                {
                    TransactionLog.BrokerUp(_logger);
                }
                else
                {
                    TransactionLog.BrokerDown(_logger, failure!);
                }
            }

            _health.SetBrokerUp(up);
            _metrics.BrokerUp.Set(up ? 1 : 0);
        }
    }
}
