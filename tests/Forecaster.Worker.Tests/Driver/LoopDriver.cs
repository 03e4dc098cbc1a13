using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Checkpoints;
using Forecaster.Worker.Tests.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// Runs a real <see cref="ConsumeLoop"/> over fake clients, with no broker, on the test's own thread, in the
/// manner of Streamiz's TopologyTestDriver. A script of steps (assign, revoke, lose, input, wait for a
/// condition, anything) runs one step per idle poll, inside Consume, where librdkafka would call the
/// rebalance handlers; the clock is fake and moves <see cref="Tick"/> per idle poll, and each step waits for
/// the state reads asked for so far (unless a test holds them). The loop stops when the
/// script is done, then shuts down as it always does.
/// </summary>
internal sealed class LoopDriver : IDisposable
{
    public const string InputTopic = "in";
    public const string RepartitionTopic = "rep";
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private readonly Queue<(string What, Func<bool> Done)> _script = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly FakeClients _clients;
    private string? _stuck;
    private int _waited;
    private int _expectedReads;

    /// <summary>A driver over <paramref name="cluster"/> (a new one when null: pass one to restart on the same data).</summary>
    public LoopDriver(bool exactlyOnce = false, StateOptions? state = null, int maxWaitPolls = 20_000, FakeCluster? cluster = null, ForecastOptions? forecast = null, IngestOptions? ingest = null)
    {
        Forecast = forecast ?? StateWorker.Model;
        Cluster = cluster ?? new FakeCluster();
        MaxWaitPolls = maxWaitPolls;
        Kafka = new KafkaOptions
        {
            BootstrapServers = "fake:9092",
            GroupId = "driver",
            InputTopic = InputTopic,
            ForecastTopic = "out",
            DeadLetterTopic = "dlq",
            StateTopic = "state",
            RepartitionTopic = RepartitionTopic,
            ExactlyOnce = exactlyOnce,
            TransactionIntervalMs = 200,
            FetchAhead = false, // the fake consumer runs the script inside Consume: it polls on the loop's thread
        };
        State = state ?? new StateOptions { CheckpointIntervalSeconds = 0 };
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TopicIo.T0));
        Metrics = new ForecasterMetrics(new CollectorRegistry());
        Health = new WorkerHealth(Time);
        _clients = new FakeClients(Cluster, Step);
        Loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(Kafka),
            Microsoft.Extensions.Options.Options.Create(StateWorker.Series),
            Microsoft.Extensions.Options.Options.Create(Forecast),
            Microsoft.Extensions.Options.Options.Create(ingest ?? new IngestOptions()),
            Metrics, Health, Time, NullLogger<ConsumeLoop>.Instance,
            state: Microsoft.Extensions.Options.Options.Create(State),
            clients: _clients);
    }

    public FakeCluster Cluster { get; }
    public KafkaOptions Kafka { get; }
    public StateOptions State { get; }
    public ForecastOptions Forecast { get; }
    public FakeTimeProvider Time { get; }
    public ForecasterMetrics Metrics { get; }
    public WorkerHealth Health { get; }
    public ConsumeLoop Loop { get; }
    public int MaxWaitPolls { get; }

    public FakeConsumer Consumer => _clients.Consumer!;
    public FakeProducer Producer => _clients.Producer!;
    public FakeStateReader StateReader => _clients.StateReader!;

    public static TopicPartition Input(int partition) => new(InputTopic, partition);

    public LoopDriver Assign(params int[] partitions) => Then($"assign {string.Join(",", partitions)}", () =>
    {
        _expectedReads += State.Enabled ? partitions.Length : 0;
        Consumer.Assign([.. partitions.Select(Input)]);
    });

    /// <summary>Assigns <paramref name="partitions"/> of any topic (the repartition topic's too).</summary>
    public LoopDriver Assign(params TopicPartition[] partitions) => Then($"assign {string.Join(",", partitions)}", () =>
    {
        _expectedReads += State.Enabled ? partitions.Length : 0;
        Consumer.Assign([.. partitions]);
    });

    /// <summary>Loses <paramref name="partitions"/> of any topic.</summary>
    public LoopDriver Lose(params TopicPartition[] partitions) => Then($"lose {string.Join(",", partitions)}", () => Consumer.Lose([.. partitions]));

    /// <summary>Revokes <paramref name="partitions"/> of any topic.</summary>
    public LoopDriver Revoke(params TopicPartition[] partitions) => Then($"revoke {string.Join(",", partitions)}", () => Consumer.Revoke([.. partitions]));

    public LoopDriver Revoke(params int[] partitions) => Then($"revoke {string.Join(",", partitions)}", () => Consumer.Revoke([.. partitions.Select(Input)]));

    public LoopDriver Lose(params int[] partitions) => Then($"lose {string.Join(",", partitions)}", () => Consumer.Lose([.. partitions.Select(Input)]));

    /// <summary>Appends to input partition <paramref name="partition"/> one point a minute of each series, <paramref name="points"/> of them, from <see cref="TopicIo.T0"/>.</summary>
    public LoopDriver Points(int partition, int points, params string[] series) => Then($"input {points} points to {partition}", () =>
    {
        for (var i = 0; i < points; i++)
        {
            foreach (var s in series)
            {
                Cluster.Append(Input(partition), new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(TopicIo.SeriesId(s)),
                    Value = Encoding.UTF8.GetBytes(TopicIo.Point(s, TopicIo.T0 + (i * 60_000L), 100 + (10 * Math.Sin(i)))),
                });
            }
        }
    });

    /// <summary>Appends <paramref name="points"/> of <paramref name="key"/>ed records (null: unkeyed) of <paramref name="series"/>, one a minute from <see cref="TopicIo.T0"/> plus <paramref name="first"/> minutes, point i to input partition <paramref name="partitionOf"/>(i).</summary>
    public LoopDriver Spread(string series, int first, int points, Func<int, int> partitionOf, string? key = null) => Then($"input {points} points of {series} spread", () =>
    {
        for (var i = first; i < first + points; i++)
        {
            Cluster.Append(Input(partitionOf(i)), new Message<byte[], byte[]>
            {
                Key = key is null ? null! : Encoding.UTF8.GetBytes(key),
                Value = Encoding.UTF8.GetBytes(TopicIo.Point(series, TopicIo.T0 + (i * 60_000L), 100 + (10 * Math.Sin(i)))),
            });
        }
    });

    /// <summary>Waits, poll by poll (the clock moving a tick each), until <paramref name="condition"/> holds.</summary>
    public LoopDriver Until(string what, Func<bool> condition)
    {
        _script.Enqueue((what, condition));
        return this;
    }

    public LoopDriver Then(string what, Action action) => Until(what, () =>
    {
        action();
        return true;
    });

    /// <summary>Runs the loop until the script is done (then it shuts down); fails the test if a step waited in vain or the loop failed.</summary>
    public void Run(bool expectFailure = false)
    {
        Loop.Run(_stop.Token);
        Assert.True(_stuck is null, $"the script never got past: {_stuck}");
        if (!expectFailure)
        {
            Assert.Null(Loop.FatalError);
        }
    }

    /// <summary>Forecast records committed (all, in at-least-once mode), as (series key, value) text.</summary>
    public List<(string Key, string Value)> Forecasts() =>
        [.. Cluster.ReadTopic(Kafka.ForecastTopic).Select(r => (Encoding.UTF8.GetString(r.Key!), Encoding.UTF8.GetString(r.Value!)))];

    /// <summary>The checkpoint of input partition <paramref name="partition"/> as a restore would read it now.</summary>
    public Forecaster.Worker.Checkpoints.RestoredShard? SavedState(int partition, string topic = InputTopic) =>
        new FakeStateReader(Cluster, Kafka.StateTopic, Forecast.ToSettings()).Read(topic, partition, out _, out _);

    public void Dispose() => _stop.Dispose();

    private void Step()
    {
        Time.Advance(Tick);
        if (State.Enabled && StateReader.Gate is not { IsSet: false })
        {
            // State is read on pool threads: each step sees every read the script or the loop asked for finished (a rewind
            // after an abort asks for reads too, which a slow pool may not have begun by the next poll), so runs are deterministic.
            Assert.True(SpinWait.SpinUntil(() => StateReader.Completed >= Math.Max(Math.Max(_expectedReads, StateReader.Requests), StateReader.Reads), TimeSpan.FromSeconds(10)), "a state read never finished");
        }

        if (!_script.TryPeek(out var step))
        {
            _stop.Cancel();
            return;
        }

        if (step.Done())
        {
            _script.Dequeue();
            _waited = 0;
        }
        else if (++_waited > MaxWaitPolls)
        {
            _stuck = step.What;
            _stop.Cancel();
        }
    }
}
