using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>Telegraf and collectd records with one bad value through the real consume loop (mock cluster), formats detected: the good values forecast, the bad one named in the dead letter.</summary>
[Collection(MockClusterTests.Name)]
public class FieldFailureLoopTests(MockClusterFixture cluster)
{
    [Fact]
    public void A_bad_value_is_dead_lettered_alone_with_its_index_and_a_created_series_is_counted_not_dead_lettered()
    {
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "fields", "fields-group");
        var seconds = (TopicIo.T0 / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var created = $$$"""{"timestamp":"{{{DateTimeOffset.FromUnixTimeMilliseconds(TopicIo.T0):O}}}","value":"1764000000","name":"jobs_created","labels":{"__name__":"jobs_created"}}""";
        var telegraf = FieldFailureTests.Telegraf(3, 1, "1e400").Replace("1764100790", seconds, StringComparison.Ordinal);
        var collectd = FieldFailureTests.Collectd(3, 2, "\"x\"").Replace("1764100790", seconds, StringComparison.Ordinal);
        Produce(kafka.InputTopic, [created, telegraf, collectd]);
        cluster.CreateTopic(kafka.RepartitionTopic, 4); // unkeyed records are re-keyed there; it exists before the worker starts, as the topic check demands of a deployment
        using var worker = new WorkerRunner(kafka, ingest: new IngestOptions());

        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, 4);
        var dead = TopicIo.ReadAll(cluster.BootstrapServers, kafka.DeadLetterTopic, 2);
        var createdDropped = worker.Metrics.PointsDropped.WithLabels(SkipReasons.CreatedSeries).Value;
        worker.Stop();

        Assert.Equal(["app_f0{host=\"h\"}", "app_f2{host=\"h\"}", "collectd_app_d0{instance=\"h\"}", "collectd_app_d1{instance=\"h\"}"], forecasts.Select(TopicIo.Key).Order(StringComparer.Ordinal));
        Assert.Equal(2, dead.Count);
        var field = Assert.Single(dead, d => Encoding.UTF8.GetString(d.Message.Value) == telegraf);
        Assert.Equal(RejectReasons.NonFiniteValue, TopicIo.Header(field, ForecastPublisher.ReasonHeader));
        Assert.Equal("2:non_finite_value", TopicIo.Header(field, ForecastPublisher.PointsHeader)); // index 0 of fields is "state"
        var value = Assert.Single(dead, d => Encoding.UTF8.GetString(d.Message.Value) == collectd);
        Assert.Equal(RejectReasons.NonNumericValue, TopicIo.Header(value, ForecastPublisher.ReasonHeader));
        Assert.Equal("2:non_numeric_value", TopicIo.Header(value, ForecastPublisher.PointsHeader));
        Assert.Equal(1, createdDropped);
    }

    private void Produce(string topic, IEnumerable<string> values)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();
        foreach (var value in values)
        {
            producer.Produce(topic, new Message<byte[]?, byte[]> { Key = null, Value = Encoding.UTF8.GetBytes(value) });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }
}
