using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Driver;
using Forecaster.Worker.Tests.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>A consume loop with checkpoints on, on its own thread; and reading a whole state topic back.</summary>
internal sealed class StateWorker : IDisposable
{
    public static readonly ForecastOptions Model = WorkerRunner.SmallModel();
    public static readonly SeriesOptions Series = new() { StepSeconds = 60, ReorderWindowSteps = 1 };

    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;

    /// <summary>
    /// Starts the loop; <paramref name="chunk"/>, when given, makes interval checkpoints crawl (that many series records per share,
    /// that many ms apart); <paramref name="series"/> and <paramref name="forecast"/> replace <see cref="Series"/> and <see cref="Model"/>, <paramref name="profiles"/> adds profile rules; <paramref name="commitFault"/>, when given, fails transaction commits as <see cref="CommitFaultClients"/> says.
    /// </summary>
    public StateWorker(KafkaOptions kafka, int intervalSeconds = 1, (int Series, int IntervalMs)? chunk = null, Func<long, Error?>? commitFault = null, Action<StateOptions>? configure = null, SeriesOptions? series = null, ForecastOptions? forecast = null, Forecaster.Worker.Profiles.ProfilesOptions? profiles = null)
    {
        var state = new StateOptions { CheckpointIntervalSeconds = intervalSeconds, RestoreTimeoutSeconds = 30 };
        configure?.Invoke(state);
        if (chunk is { } c)
        {
            state.CheckpointChunkSeries = c.Series;
            state.CheckpointChunkIntervalMs = c.IntervalMs;
        }

        Metrics = new ForecasterMetrics(new CollectorRegistry());
        Health = new WorkerHealth(TimeProvider.System);
        Loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(series ?? Series),
            Microsoft.Extensions.Options.Options.Create(forecast ?? Model),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            Metrics, Health, TimeProvider.System, NullLogger<ConsumeLoop>.Instance,
            state: Microsoft.Extensions.Options.Options.Create(state),
            clients: commitFault is null ? null : new CommitFaultClients(commitFault),
            profiles: profiles is null ? null : Microsoft.Extensions.Options.Options.Create(profiles));
        _thread = new Thread(Run) { IsBackground = true, Name = "state test consume loop" };
        _thread.Start();
    }

    public ConsumeLoop Loop { get; }
    public WorkerHealth Health { get; }
    public ForecasterMetrics Metrics { get; }

    public bool IsRunning => _thread.IsAlive;

    public static KafkaOptions Kafka(string bootstrap, string prefix) =>
        WorkerRunner.Kafka(bootstrap, prefix, prefix + "-group") is var k ? WithState(k, prefix) : null!;

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

    /// <summary>
    /// The state of each of the 4 partitions of the input topic (null where none). Every read also
    /// compacts a copy of the state topic the way Kafka does and asserts that it restores the same state bit for bit.
    /// </summary>
    public static RestoredShard?[] ReadState(string bootstrap, KafkaOptions kafka)
    {
        var restorer = Restorer(bootstrap, kafka);
        RestoredShard?[] full = [.. Enumerable.Range(0, 4).Select(p => restorer.Read(kafka.InputTopic, p, out _))];
        var compacted = Restorer(bootstrap, kafka, CompactedLog.Copy(bootstrap, kafka.StateTopic));
        for (var p = 0; p < 4; p++)
        {
            CompactedLog.AssertSame(full[p], compacted.Read(kafka.InputTopic, p, out _), Model.ToSettings(), $"{kafka.StateTopic} [{p}]");
        }

        return full;
    }

    public static StateRestorer Restorer(string bootstrap, KafkaOptions kafka, string? stateTopic = null) =>
        new(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "state-reader", EnableAutoCommit = false, EnablePartitionEof = true },
            stateTopic ?? kafka.StateTopic, Model.ToSettings(), TimeSpan.FromSeconds(20));

    /// <summary>Every restored series as its checkpoint payload bytes, by id.</summary>
    public static Dictionary<string, byte[]> SeriesBytes(RestoredShard?[] shards)
    {
        var settings = Model.ToSettings();
        var codec = new SeriesEntryCodec(settings);
        return shards.Where(s => s is not null).SelectMany(s => s!.Series).ToDictionary(e => e.Id, e => codec.Payload(e, e.State.ShapedAs(settings)).ToArray()); // each in its own group's shape
    }

    private static KafkaOptions WithState(KafkaOptions kafka, string prefix)
    {
        kafka.StateTopic = prefix + ".state";
        return kafka;
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
