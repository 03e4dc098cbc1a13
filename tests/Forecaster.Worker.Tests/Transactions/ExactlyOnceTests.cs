using Confluent.Kafka;
using Forecaster.Worker.Tests.Checkpoints;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>
/// Exactly-once mode on the in-process mock cluster: forecasts, checkpoints and offsets commit together,
/// and an aborted transaction leaves nothing behind: its points are computed again from the last
/// committed checkpoint.
/// </summary>
[Collection(MockClusterTests.Name)]
public class ExactlyOnceTests(MockClusterFixture cluster)
{
    private const int Series = 12;
    private const int Steps = 10;

    [Fact]
    public void Every_point_is_forecast_exactly_once_and_the_committed_checkpoints_hold_every_offset()
    {
        var kafka = ExactlyOnceSettings.Kafka(cluster.BootstrapServers, "eo-e2e");
        var input = RestartTests.Points(Series, 0, Steps);
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        var expected = input.Count - Series; // The reorder window holds each series' last point.

        using (var worker = new StateWorker(kafka))
        {
            var forecasts = CommittedForecasts.Keys(kafka, expected);
            Assert.Equal(expected, forecasts.Count);
            Assert.Equal(expected, forecasts.Distinct().Count());
            worker.Stop();
            Assert.True(worker.Metrics.Transactions.WithLabels("committed").Value > 0);
            Assert.Equal(0, worker.Metrics.Transactions.WithLabels("aborted").Value);
        }

        // The offsets sent with the last transaction are those of its checkpoints: every input record.
        var state = StateWorker.ReadState(cluster.BootstrapServers, kafka);
        Assert.Equal(input.Count, state.Where(s => s is not null).Sum(s => s!.InputOffset));
        Assert.Equal(Series, state.Where(s => s is not null).Sum(s => s!.Series.Count));
    }

    [Fact]
    public void An_aborted_transaction_leaves_nothing_visible_and_its_points_are_forecast_again()
    {
        var first = RestartTests.Points(Series, 0, Steps / 2);
        var second = RestartTests.Points(Series, Steps / 2, Steps);
        var expected = first.Count + second.Count - Series;

        var reference = ExactlyOnceSettings.Kafka(cluster.BootstrapServers, "eo-abort-ref");
        TopicIo.Produce(cluster.BootstrapServers, reference.InputTopic, first.Concat(second));
        using (var worker = new StateWorker(reference))
        {
            Assert.Equal(expected, CommittedForecasts.Keys(reference, expected).Count);
            worker.Stop();
        }

        var kafka = ExactlyOnceSettings.Kafka(cluster.BootstrapServers, "eo-abort");
        var armed = 0;
        var fired = 0;
        Error? Fault(long _) => Volatile.Read(ref armed) == 1 && Interlocked.Exchange(ref fired, 1) == 0
            ? new Error(ErrorCode.InvalidTxnState, "injected by the test")
            : null;
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, first);
        using (var worker = new StateWorker(kafka, commitFault: Fault))
        {
            Assert.Equal(first.Count - Series, CommittedForecasts.Keys(kafka, first.Count - Series).Count);
            Volatile.Write(ref armed, 1);
            TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, second);
            TopicIo.WaitFor(() => worker.Metrics.Transactions.WithLabels("aborted").Value == 1, "the injected abort");

            var forecasts = CommittedForecasts.Keys(kafka, expected);
            Assert.Equal(expected, forecasts.Count);
            Assert.Equal(expected, forecasts.Distinct().Count());
            worker.Stop();
            Assert.True(worker.Loop.ConsumedRecords > first.Count + second.Count, $"the aborted transaction's points were read again: consumed {worker.Loop.ConsumedRecords}, published {worker.Metrics.ForecastsPublished.Value}, committed {worker.Metrics.Transactions.WithLabels("committed").Value}");
        }

        var want = StateWorker.SeriesBytes(StateWorker.ReadState(cluster.BootstrapServers, reference));
        var got = StateWorker.SeriesBytes(StateWorker.ReadState(cluster.BootstrapServers, kafka));
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        foreach (var (id, bytes) in want)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(got[id]), $"series {id} differs from the run without an abort");
        }
    }
}
