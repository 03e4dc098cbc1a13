using Forecaster.Worker.Ingest;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Tests.Hosting;

[Collection(MockClusterTests.Name)]
public class DeadLetterTests(MockClusterFixture cluster)
{
    private const long Step = 60_000;

    public static readonly string ManyLabels = "{" + string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"l{i}\":\"x\"")) + "}";

    private static readonly (string Reason, string Value)[] BadRecords =
    [
        (RejectReasons.MalformedJson, "{\"metric\":"),
        (RejectReasons.MissingField, """{"metric":"m","value":1}"""),
        (RejectReasons.NonNumericValue, """{"metric":"m","ts":1764100800000,"value":"many"}"""),
        (RejectReasons.NonFiniteValue, """{"metric":"m","ts":1764100800000,"value":1e999}"""),
        (RejectReasons.ValueOutOfRange, """{"metric":"m","labels":{"s":"v"},"ts":1764102600000,"value":1e300}"""), // series v, 30 steps ahead: had it been taken, the points of v after it would be too old
        (RejectReasons.TimestampInFuture, """{"metric":"m","ts":4102444800000,"value":1}"""),
        (RejectReasons.TimestampTooOld, """{"metric":"m","ts":1764100800,"value":1}"""),
        (RejectReasons.InvalidTimestamp, """{"metric":"m","ts":"soon","value":1}"""),
        (RejectReasons.KeyTooLarge, "{\"metric\":\"m\",\"labels\":{\"k\":\"" + new string('x', 600) + "\"},\"ts\":1764100800000,\"value\":1}"),
        (RejectReasons.TooManyLabels, "{\"metric\":\"m\",\"labels\":" + ManyLabels + ",\"ts\":1764100800000,\"value\":1}"),
        (RejectReasons.UnknownFormat, """{"host":"a","cpu":1}"""),
        (RejectReasons.InvalidKind, """{"metric":"m","ts":1764100800000,"value":1,"kind":"summary"}"""),
    ];

    [Fact]
    public void Each_bad_record_goes_to_the_dead_letters_with_its_reason_and_the_valid_ones_around_it_are_forecast()
    {
        var kafka = WorkerRunner.Kafka(cluster.BootstrapServers, "dlq", "dlq-group");
        var input = new List<(string?, string)>();
        var valid = 0;
        for (var t = 0; t < BadRecords.Length; t++)
        {
            input.Add((TopicIo.SeriesId("v"), TopicIo.Point("v", TopicIo.T0 + (t * Step), t)));
            input.Add(("bad-" + t, BadRecords[t].Value));
            valid++;
        }

        // Behind the series' window: its bucket was forecast long ago.
        input.Add((TopicIo.SeriesId("v"), TopicIo.Point("v", TopicIo.T0 + Step, 99)));
        input.Add((TopicIo.SeriesId("v"), TopicIo.Point("v", TopicIo.T0 + (BadRecords.Length * Step), 1)));
        valid++;
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        using var worker = new WorkerRunner(kafka);

        var dead = TopicIo.ReadAll(cluster.BootstrapServers, kafka.DeadLetterTopic, BadRecords.Length + 1);
        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, valid);
        worker.Stop();

        Assert.Equal(valid, forecasts.Count);
        Assert.Equal(BadRecords.Length + 1, dead.Count);
        foreach (var (reason, value) in BadRecords)
        {
            var record = Assert.Single(dead, r => System.Text.Encoding.UTF8.GetString(r.Message.Value) == value);
            Assert.Equal(reason, TopicIo.Header(record, ForecastPublisher.ReasonHeader));
            Assert.Equal(kafka.InputTopic, TopicIo.Header(record, ForecastPublisher.TopicHeader));
            Assert.StartsWith("bad-", TopicIo.Key(record), StringComparison.Ordinal);
            Assert.NotNull(TopicIo.Header(record, ForecastPublisher.PartitionHeader));
            Assert.NotNull(TopicIo.Header(record, ForecastPublisher.OffsetHeader));
        }

        var late = Assert.Single(dead, r => TopicIo.Key(r) == TopicIo.SeriesId("v"));
        Assert.Equal(RejectReasons.TimestampTooOld, TopicIo.Header(late, ForecastPublisher.ReasonHeader));
        Assert.Equal(BadRecords.Length + 1, (int)worker.Metrics.RecordsInvalid.WithLabels(RejectReasons.MalformedJson).Value
            + RejectReasons.All.Skip(1).Sum(r => (int)worker.Metrics.RecordsInvalid.WithLabels(r).Value));
    }
}
