using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Tests.Training;

/// <summary>The loop's hooks on the mock broker: runs are started and counted between batches, the gauges are set, and shutdown with training on is clean.</summary>
[Collection(MockClusterTests.Name)]
public class ConsumeLoopTrainingTests(MockClusterFixture cluster)
{
    private const long Step = 60_000;

    [Fact]
    public void The_loop_retrains_between_batches_and_shuts_down_cleanly()
    {
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "training", "training-group");
        string[] series = ["a", "b", "c", "d"];
        var input = new List<(string?, string)>();
        for (var t = 0; t < 80; t++)
        {
            foreach (var s in series)
            {
                input.Add((TopicIo.SeriesId(s), TopicIo.Point(s, TopicIo.T0 + (t * Step), 10 + (3 * Math.Sin(t * Math.PI / 2)) + s[0])));
            }
        }

        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        var training = new TrainingOptions { Interval = 0, EveryPoints = 40, Window = 16, Batch = 4, Steps = 10, BurnIn = 4, MaxSeries = 4, RewarmSteps = 8 };
        var metrics = new ForecasterMetrics(new CollectorRegistry());
        var loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(new SeriesOptions { StepSeconds = 60 }),
            Microsoft.Extensions.Options.Options.Create(WorkerRunner.SmallModel()),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            metrics, new WorkerHealth(TimeProvider.System), TimeProvider.System, NullLogger<ConsumeLoop>.Instance,
            Microsoft.Extensions.Options.Options.Create(training));
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                loop.Run(stop.Token);
            }
            catch (Exception e) when (e is InvalidOperationException or Confluent.Kafka.KafkaException or ArgumentException)
            {
                failure = e;
            }
        })
        { IsBackground = true };
        thread.Start();

        var output = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, input.Count);
        TopicIo.WaitFor(() => TrainingOutcomes.All.Sum(o => metrics.TrainingRuns.WithLabels(o).Value) >= 1, "a retraining to end");
        stop.Cancel();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the consume loop did not stop");

        Assert.Null(failure);
        Assert.Equal(input.Count, output.Count);
        Assert.Equal(0, metrics.TrainingRuns.WithLabels(TrainingOutcomes.Failed).Value);
        Assert.All(output, r => Assert.True(TopicIo.Json(r).TryGetProperty("quality", out _)));
    }
}
