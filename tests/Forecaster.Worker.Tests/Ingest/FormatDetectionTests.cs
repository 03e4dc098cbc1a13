using System.Text;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>Format per topic with auto-detection where it is unambiguous (issue 14 item 4): every JSON format is detected, anything else is refused with a reason that says so, protobuf is never guessed.</summary>
public class FormatDetectionTests
{
    private const long Now = 1_764_100_800_000;

    private const string OtlpJson = """{"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[{"scope":{},"metrics":[{"name":"up","gauge":{"dataPoints":[{"timeUnixNano":"1764100790000000000","asDouble":1}]}}]}]}]}""";

    public static TheoryData<string, string> Samples => new()
    {
        { """{"metric":"m","ts":1764100790000,"value":1}""", "Canonical" },
        { """{"name":"m","labels":{"__name__":"m"},"timestamp":"2025-11-25T19:59:50Z","value":"1"}""", "Prometheus" },
        { """{"name":"m","tags":{"h":"a"},"fields":{"v":1},"timestamp":1764100790}""", "Telegraf" },
        { CollectdDecoderTests.Memory.Replace("1796286955.189", "1764100790.000", StringComparison.Ordinal), "Collectd" },
        { OtlpJson, "OtlpJson" },
        { "  \n" + OtlpJson, "OtlpJson" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_json_format_is_detected_and_decodes_as_when_named(string json, string format)
    {
        var value = Encoding.UTF8.GetBytes(json);
        var (autoReason, auto, _) = OtlpPoints.DecodeAll(value, InputFormat.Auto, Now);
        var (namedReason, named, _) = OtlpPoints.DecodeAll(value, Enum.Parse<InputFormat>(format), Now);

        Assert.Null(autoReason);
        Assert.Null(namedReason);
        Assert.NotEmpty(auto);
        Assert.Equal(named, auto);
    }

    [Fact]
    public void Protobuf_is_never_guessed_and_decodes_only_on_a_topic_named_otlp_proto()
    {
        // A request starts 0x0A (a newline) and then its length, which for some sizes is the byte of "[" or "{".
        var decoder = new RecordDecoder(new IngestOptions());
        for (var points = 1; points <= 64; points++)
        {
            var request = OtlpProtoPointFailureTests.GaugeRequest([.. Enumerable.Range(0, points).Select(i => OtlpProtoPointFailureTests.Point(i, i))]);

            Assert.Equal(RejectReasons.UnknownFormat, decoder.Decode(request, InputFormat.Auto, Now));
            Assert.Equal(points, OtlpPoints.DecodeAll(request, InputFormat.OtlpProto, Now).Points.Count);
        }
    }

    [Theory]
    [InlineData("""{"metric":"m","fields":{"v":1},"ts":1764100790000,"value":1}""", RejectReasons.UnknownFormat)] // canonical and Telegraf
    [InlineData("""{"metric":"m","name":"m","ts":1764100790000,"value":1}""", RejectReasons.UnknownFormat)] // canonical and Prometheus
    [InlineData("""{"resourceMetrics":[],"metric":"m"}""", RejectReasons.UnknownFormat)] // OTLP and canonical
    [InlineData("""{"host":"a","value":1}""", RejectReasons.UnknownFormat)] // none
    [InlineData("{}", RejectReasons.UnknownFormat)]
    [InlineData("""[{"values":[1]}]""", RejectReasons.UnknownFormat)] // an array, not collectd's
    [InlineData("42", RejectReasons.UnknownFormat)]
    [InlineData("metric=1", RejectReasons.UnknownFormat)] // line protocol is not read
    [InlineData("", RejectReasons.UnknownFormat)]
    [InlineData("[1,2]", RejectReasons.MalformedJson)]
    [InlineData("[]", RejectReasons.MalformedJson)]
    [InlineData("""{"metric":"m",""", RejectReasons.MalformedJson)]
    public void Anything_else_is_refused_with_a_reason_that_says_why(string json, string expected)
    {
        Assert.Equal(expected, new RecordDecoder(new IngestOptions()).Decode(Encoding.UTF8.GetBytes(json), InputFormat.Auto, Now));
    }

    [Fact]
    public void A_topic_format_overrides_detection()
    {
        var options = new IngestOptions { DefaultFormat = InputFormat.Auto, TopicFormats = new() { ["otlp"] = InputFormat.OtlpProto, ["cd"] = InputFormat.Collectd } };

        Assert.Equal((InputFormat.OtlpProto, InputFormat.Collectd, InputFormat.Auto), (options.FormatOf("otlp"), options.FormatOf("cd"), options.FormatOf("other")));
    }
}
