using System.Text;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

public class RecordDecoderTests
{
    private const long Now = 1_764_100_800_000; // 2025-11-25T20:00:00Z

    private static (string? Reason, RecordDecoder Decoder) Decode(string json, InputFormat format = InputFormat.Auto, IngestOptions? options = null)
    {
        var decoder = new RecordDecoder(options ?? new IngestOptions());
        return (decoder.Decode(Encoding.UTF8.GetBytes(json), format, Now), decoder);
    }

    [Fact]
    public void Canonical_point_yields_sorted_escaped_series_id()
    {
        var (reason, decoder) = Decode("""{"metric":"http_requests","labels":{"service":"check\"out","az":"b"},"ts":1764100800000,"value":1532.5,"kind":"counter"}""", InputFormat.Canonical);

        Assert.Null(reason);
        var record = decoder.Record;
        Assert.Equal(1, record.FieldCount);
        Assert.Equal(1532.5, record.FieldValue(0));
        Assert.Equal(1_764_100_800_000, record.TimestampMs);
        Assert.Equal(MetricKind.Counter, record.Kind);
        Assert.Equal("http_requests{az=\"b\",service=\"check\\\"out\"}", decoder.Ids.Build(record, 0).ToString());
    }

    [Fact]
    public void Canonical_accepts_iso_timestamp_and_no_labels()
    {
        var (reason, decoder) = Decode("""{"metric":"cpu","ts":"2025-11-25T19:59:00Z","value":1}""");

        Assert.Null(reason);
        Assert.Equal(Now - 60_000, decoder.Record.TimestampMs);
        Assert.Equal("cpu", decoder.Ids.Build(decoder.Record, 0).ToString());
        Assert.Equal(MetricKind.Gauge, decoder.Record.Kind);
    }

    [Fact]
    public void Prometheus_adapter_json_drops_name_label_and_parses_string_value()
    {
        var (reason, decoder) = Decode("""{"timestamp":"2025-11-25T20:00:00Z","value":"9876.5","name":"up","labels":{"__name__":"up","job":"node","instance":"a:9100"}}""", InputFormat.Prometheus);

        Assert.Null(reason);
        Assert.Equal(9876.5, decoder.Record.FieldValue(0));
        Assert.Equal(Now, decoder.Record.TimestampMs);
        Assert.Equal("up{instance=\"a:9100\",job=\"node\"}", decoder.Ids.Build(decoder.Record, 0).ToString());
    }

    [Fact]
    public void Telegraf_json_yields_one_series_per_numeric_field()
    {
        var (reason, decoder) = Decode("""{"fields":{"usage_idle":99.5,"usage_user":0.5,"state":"ok"},"name":"cpu","tags":{"host":"h1","cpu":"cpu0"},"timestamp":1764100800}""", InputFormat.Telegraf);

        Assert.Null(reason);
        var record = decoder.Record;
        Assert.Equal(2, record.FieldCount);
        Assert.Equal(Now, record.TimestampMs);
        Assert.Equal("cpu_usage_idle{cpu=\"cpu0\",host=\"h1\"}", decoder.Ids.Build(record, 0).ToString());
        Assert.Equal("cpu_usage_user{cpu=\"cpu0\",host=\"h1\"}", decoder.Ids.Build(record, 1).ToString());
        Assert.Equal(0.5, record.FieldValue(1));
    }

    [Theory]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":1}""", "Canonical")]
    [InlineData("""{"name":"m","timestamp":"2025-11-25T20:00:00Z","value":"1"}""", "Prometheus")]
    [InlineData("""{"name":"m","fields":{"v":1},"timestamp":1764100800}""", "Telegraf")]
    public void Auto_detects_each_format(string json, string expected)
    {
        var (autoReason, auto) = Decode(json);
        var (explicitReason, _) = Decode(json, Enum.Parse<InputFormat>(expected));

        Assert.Null(autoReason);
        Assert.Null(explicitReason);
        Assert.Equal(1.0, auto.Record.FieldValue(0));
    }

    [Theory]
    [InlineData("{\"metric\":\"m\",", RejectReasons.MalformedJson)]
    [InlineData("[1,2]", RejectReasons.MalformedJson)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":1} {}""", RejectReasons.MalformedJson)]
    [InlineData("""{"metric":"m","value":1}""", RejectReasons.MissingField)]
    [InlineData("""{"metric":"","ts":1764100800000,"value":1}""", RejectReasons.MissingField)]
    [InlineData("""{"metric":"m","ts":1764100800000}""", RejectReasons.MissingField)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":"12"}""", RejectReasons.NonNumericValue)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":true}""", RejectReasons.NonNumericValue)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":1e400}""", RejectReasons.NonFiniteValue)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":1e300}""", RejectReasons.ValueOutOfRange)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":-3.5e38}""", RejectReasons.ValueOutOfRange)]
    [InlineData("""{"metric":"m","ts":1764200800000,"value":1}""", RejectReasons.TimestampInFuture)]
    [InlineData("""{"metric":"m","ts":1764100800,"value":1}""", RejectReasons.TimestampTooOld)]
    [InlineData("""{"metric":"m","ts":"yesterday","value":1}""", RejectReasons.InvalidTimestamp)]
    [InlineData("""{"metric":"m","ts":1764100800000,"value":1,"kind":"histogram"}""", RejectReasons.InvalidKind)]
    [InlineData("""{"host":"a","value":1}""", RejectReasons.UnknownFormat)]
    public void Canonical_rejections_name_their_reason(string json, string expected)
    {
        Assert.Equal(expected, Decode(json).Reason);
    }

    [Theory]
    [InlineData("""{"name":"m","timestamp":"2025-11-25T20:00:00Z","value":"NaN"}""", RejectReasons.NonFiniteValue)]
    [InlineData("""{"name":"m","timestamp":"2025-11-25T20:00:00Z","value":"+Inf"}""", RejectReasons.NonFiniteValue)]
    [InlineData("""{"name":"m","timestamp":"2025-11-25T20:00:00Z","value":"abc"}""", RejectReasons.NonNumericValue)]
    [InlineData("""{"name":"m","timestamp":"2025-11-25T20:00:00Z","value":"1e300"}""", RejectReasons.ValueOutOfRange)]
    [InlineData("""{"name":"m","timestamp":"not a time","value":"1"}""", RejectReasons.InvalidTimestamp)]
    [InlineData("""{"name":"m","labels":{"a":1},"timestamp":"2025-11-25T20:00:00Z","value":"1"}""", RejectReasons.MalformedJson)]
    public void Prometheus_rejections_name_their_reason(string json, string expected)
    {
        Assert.Equal(expected, Decode(json, InputFormat.Prometheus).Reason);
    }

    [Theory]
    [InlineData("""{"name":"m","fields":{"s":"text"},"timestamp":1764100800}""", RejectReasons.NonNumericValue)]
    [InlineData("""{"name":"m","fields":{"v":1e300},"timestamp":1764100800}""", RejectReasons.ValueOutOfRange)]
    [InlineData("""{"name":"m","fields":{"v":1},"timestamp":"1764100800"}""", RejectReasons.InvalidTimestamp)]
    [InlineData("""{"name":"m","timestamp":1764100800}""", RejectReasons.MissingField)]
    public void Telegraf_rejections_name_their_reason(string json, string expected)
    {
        Assert.Equal(expected, Decode(json, InputFormat.Telegraf).Reason);
    }

    [Fact]
    public void Too_many_labels_and_too_long_ids_are_refused()
    {
        var options = new IngestOptions { MaxLabels = 2, MaxSeriesIdLength = 20 };
        var labels = """{"metric":"m","labels":{"a":"1","b":"2","c":"3"},"ts":1764100800000,"value":1}""";
        var longId = """{"metric":"m","labels":{"a":"a-rather-long-label-value"},"ts":1764100800000,"value":1}""";

        Assert.Equal(RejectReasons.TooManyLabels, Decode(labels, options: options).Reason);
        Assert.Equal(RejectReasons.KeyTooLarge, Decode(longId, options: options).Reason);
    }

    [Fact]
    public void Max_age_refuses_points_older_than_the_window()
    {
        var options = new IngestOptions { MaxAgeSeconds = 3600 };

        Assert.Equal(RejectReasons.TimestampTooOld, Decode("""{"metric":"m","ts":1764090000000,"value":1}""", options: options).Reason);
        Assert.Null(Decode("""{"metric":"m","ts":1764100000000,"value":1}""", options: options).Reason);
    }

    [Fact]
    public void Decoder_is_reusable_across_records()
    {
        var decoder = new RecordDecoder(new IngestOptions());
        Assert.Equal(RejectReasons.MalformedJson, decoder.Decode("{"u8, InputFormat.Auto, Now));
        Assert.Null(decoder.Decode("""{"metric":"m","labels":{"k":"v"},"ts":1764100800000,"value":2}"""u8, InputFormat.Auto, Now));
        Assert.Equal("m{k=\"v\"}", decoder.Ids.Build(decoder.Record, 0).ToString());
        Assert.Equal(2.0, decoder.Record.FieldValue(0));
    }
}
