using Confluent.Kafka;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>OTLP protobuf through the real consume loop on librdkafka's mock cluster: fanned out, forecast, bad points dead-lettered alone.</summary>
[Collection(MockClusterTests.Name)]
public class OtlpLoopTests(MockClusterFixture cluster)
{
    private const ulong T0Ns = (ulong)TopicIo.T0 * 1_000_000;

    [Fact]
    public void Otlp_records_on_an_otlp_proto_topic_are_forecast_per_point_and_a_bad_point_is_dead_lettered_alone()
    {
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "otlp", "otlp-group");
        var ingest = new IngestOptions { TopicFormats = new() { [kafka.InputTopic] = InputFormat.OtlpProto } };
        var first = OtlpProtoPointFailureTests.GaugeRequest([.. Enumerable.Range(0, 3).Select(s => OtlpProtoPointFailureTests.Point(s, 20 + s, T0Ns))]);
        var second = OtlpProtoPointFailureTests.GaugeRequest(
            [OtlpProtoPointFailureTests.Point(0, 21, T0Ns + 60_000_000_000), OtlpProtoPointFailureTests.Point(1, double.NaN, T0Ns + 60_000_000_000),
             OtlpProtoPointFailureTests.Point(2, 23, T0Ns + 60_000_000_000)]);
        byte[] garbage = [0x0A, 0x7F, 0x01];
        Produce(kafka.InputTopic, [first, second, garbage]);
        cluster.CreateTopic(kafka.RepartitionTopic, 4); // unkeyed records are re-keyed there; it exists before the worker starts, as the topic check demands of a deployment
        using var worker = new WorkerRunner(kafka, ingest: ingest);

        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, 5);
        var dead = TopicIo.ReadAll(cluster.BootstrapServers, kafka.DeadLetterTopic, 2);
        worker.Stop();

        var m = worker.Metrics;
        var dropped = Labelled(m.PointsDropped);
        var keys = string.Join(" ", forecasts.Select(f => $"{TopicIo.Key(f)}@{f.Partition.Value}"));
        Assert.True(forecasts.Count == 5, $"{forecasts.Count} forecasts ({keys}); consumed {m.RecordsConsumed.Value}, repartitioned {m.PointsRepartitioned.Value}, published {m.ForecastsPublished.Value}, delivered {m.ForecastsDelivered.Value}, dropped [{dropped}], dead-lettered [{Labelled(m.RecordsInvalid)}]");
        Assert.Equal(2, forecasts.Count(f => TopicIo.Key(f) == "temperature{sensor=\"s0\",service_name=\"plant\"}"));
        Assert.Equal(1, forecasts.Count(f => TopicIo.Key(f) == "temperature{sensor=\"s1\",service_name=\"plant\"}"));
        Assert.Equal(2, forecasts.Count(f => TopicIo.Key(f) == "temperature{sensor=\"s2\",service_name=\"plant\"}"));
        Assert.Equal(2, dead.Count);
        var point = Assert.Single(dead, d => d.Message.Value.SequenceEqual(second));
        Assert.Equal(RejectReasons.NonFiniteValue, TopicIo.Header(point, ForecastPublisher.ReasonHeader));
        Assert.Equal("1:non_finite_value", TopicIo.Header(point, ForecastPublisher.PointsHeader));
        var whole = Assert.Single(dead, d => d.Message.Value.SequenceEqual(garbage));
        Assert.Equal(RejectReasons.MalformedProtobuf, TopicIo.Header(whole, ForecastPublisher.ReasonHeader));
        Assert.Null(TopicIo.Header(whole, ForecastPublisher.PointsHeader));
    }

    private static string Labelled(Prometheus.Counter counter) =>
        string.Join(",", counter.GetAllLabelValues().Select(l => $"{l[0]}={counter.WithLabels(l).Value}"));

    private void Produce(string topic, IEnumerable<byte[]> values)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();
        foreach (var value in values)
        {
            // Unkeyed (so re-keyed), but into one partition: records of one series spread over partitions are read in an
            // order the fetches decide, and a point read after a later one of its series is too old (README, re-keying).
            producer.Produce(new TopicPartition(topic, 0), new Message<byte[]?, byte[]> { Key = null, Value = value });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }
}
