using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>Issue 15: a quiet series' held points no longer pin its partition's committed offset (KEDA reads that one).</summary>
[Collection(MockClusterTests.Name)]
public class HeldOffsetTests(MockClusterFixture cluster)
{
    [Fact]
    public void A_series_that_sends_two_points_and_stops_does_not_hold_the_committed_offset_back_past_the_bound()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "held-quiet");
        kafka.AutoCommitIntervalMs = 200;
        var records = new List<(string Key, string Value)>
        {
            (TopicIo.SeriesId("quiet"), TopicIo.Point("quiet", TopicIo.T0, 1)),
            (TopicIo.SeriesId("quiet"), TopicIo.Point("quiet", TopicIo.T0 + 60_000, 2)),
        };
        records.AddRange(Enumerable.Range(0, 2000).Select(t => (TopicIo.SeriesId("busy"), TopicIo.Point("busy", TopicIo.T0 + (t * 60_000L), t % 10))));
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true }).Build())
        {
            foreach (var (key, value) in records)
            {
                producer.Produce(new TopicPartition(kafka.InputTopic, 0), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        using var worker = new StateWorker(kafka, configure: s => s.HeldPointMaxSeconds = 2);
        TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, records.Count - 2);

        // Every point is consumed; the last bucket of each series stays open (reorder window 1) and holds its
        // offset only until the 2 s bound, after which the checkpoint lets the group commit the end.
        using var group = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = kafka.GroupId }).Build();
        var tp = new TopicPartition(kafka.InputTopic, 0);
        TopicIo.WaitFor(() => group.Committed([tp], TimeSpan.FromSeconds(5)).Single().Offset.Value == records.Count, "the committed offset to reach the end", seconds: 30);
        TopicIo.WaitFor(() => worker.Metrics.CommittedLag.WithLabels(kafka.InputTopic, "0").Value == 0, "the committed-lag gauge to read 0");
        worker.Stop();

        Assert.True(worker.Metrics.HeldPointsDetached.Value >= 2);
        Assert.Equal(0, worker.Metrics.RestoreFailures.Value);

        // The detached points are not lost: they are in the saved state of their series.
        var quiet = StateWorker.ReadState(cluster.BootstrapServers, kafka).Where(s => s is not null).SelectMany(s => s!.Series).Single(e => e.Id == TopicIo.SeriesId("quiet"));
        Assert.Equal(1, quiet.Timeline.HeldCount); // its last bucket, still open
    }
}
