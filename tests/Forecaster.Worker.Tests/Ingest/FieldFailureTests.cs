using System.Text;
using Forecaster.Testing;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>
/// Bad input in the JSON formats that carry many values (issue 14 item 5): one bad Telegraf field or collectd value is
/// refused alone, named by its index in <c>fields</c> or <c>values</c>, and the others go through, as OTLP points do.
/// </summary>
public class FieldFailureTests
{
    private const long Now = 1_764_100_800_000;
    private const string Seconds = "1764100790";

    internal static string Telegraf(int fields, int bad, string badValue) =>
        "{\"name\":\"app\",\"tags\":{\"host\":\"h\"},\"fields\":{\"state\":\"ok\","
        + string.Join(',', Enumerable.Range(0, fields).Select(i => $"\"f{i}\":{(i == bad ? badValue : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}"))
        + "},\"timestamp\":" + Seconds + "}";

    internal static string Collectd(int values, int bad, string badValue, string badType = "gauge") =>
        "[{\"values\":[" + string.Join(',', Enumerable.Range(0, values).Select(i => i == bad ? badValue : i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        + "],\"dstypes\":[" + string.Join(',', Enumerable.Range(0, values).Select(i => i == bad ? $"\"{badType}\"" : "\"gauge\""))
        + "],\"dsnames\":[" + string.Join(',', Enumerable.Range(0, values).Select(i => $"\"d{i}\""))
        + "],\"time\":" + Seconds + ".5,\"interval\":10.000,\"host\":\"h\",\"plugin\":\"app\",\"plugin_instance\":\"\",\"type\":\"app\",\"type_instance\":\"\"}]";

    [Theory]
    [InlineData("1e400", RejectReasons.NonFiniteValue)]
    [InlineData("1e300", RejectReasons.ValueOutOfRange)]
    public void One_bad_telegraf_field_among_a_thousand_is_refused_alone(string badValue, string expected)
    {
        var (reason, points, refused) = OtlpPoints.DecodeAll(Encoding.UTF8.GetBytes(Telegraf(1000, 617, badValue)), InputFormat.Telegraf, Now);

        Assert.Null(reason);
        Assert.Equal([(618, expected)], refused); // index 0 of fields is the string "state", left out, not refused
        Assert.Equal(999, points.Count);
        Assert.Equal(999, points.Select(p => p.Id).Distinct().Count());
        Assert.Equal(new OtlpPoint("app_f616{host=\"h\"}", MetricKind.Gauge, Now - 10_000, 616), points[616]);
        Assert.Equal(618.0, points[617].Value);
    }

    [Theory]
    [InlineData("\"x\"", "gauge", RejectReasons.NonNumericValue)]
    [InlineData("true", "gauge", RejectReasons.NonNumericValue)]
    [InlineData("{\"a\":1}", "gauge", RejectReasons.NonNumericValue)]
    [InlineData("1e400", "gauge", RejectReasons.NonFiniteValue)]
    [InlineData("1e300", "gauge", RejectReasons.ValueOutOfRange)]
    [InlineData("5", "histogram", RejectReasons.InvalidKind)]
    public void One_bad_collectd_value_among_a_thousand_is_refused_alone(string badValue, string badType, string expected)
    {
        var (reason, points, refused) = OtlpPoints.DecodeAll(Encoding.UTF8.GetBytes(Collectd(1000, 617, badValue, badType)), InputFormat.Collectd, Now);

        Assert.Null(reason);
        Assert.Equal([(617, expected)], refused);
        Assert.Equal(999, points.Count);
        Assert.Equal(new OtlpPoint("collectd_app_d616{instance=\"h\"}", MetricKind.Gauge, Now - 9_500, 616), points[616]);
        Assert.Equal(618.0, points[617].Value);
    }

    [Fact]
    public void A_field_whose_series_id_is_too_long_is_refused_alone()
    {
        var longName = new string('n', 600);
        var json = Telegraf(3, -1, "").Replace("\"f1\"", $"\"{longName}\"", StringComparison.Ordinal);

        var (reason, points, refused) = OtlpPoints.DecodeAll(Encoding.UTF8.GetBytes(json), InputFormat.Telegraf, Now);

        Assert.Null(reason);
        Assert.Equal([(2, RejectReasons.KeyTooLarge)], refused);
        Assert.Equal(["app_f0{host=\"h\"}", "app_f2{host=\"h\"}"], points.Select(p => p.Id));
    }

    [Fact]
    public void A_record_whose_only_value_or_whose_shared_parts_are_bad_is_refused_whole()
    {
        var decoder = new RecordDecoder(new IngestOptions());
        Assert.Equal(RejectReasons.NonNumericValue, decoder.Decode(Encoding.UTF8.GetBytes(Collectd(1, 0, "\"x\"")), InputFormat.Collectd, Now));
        Assert.Equal(RejectReasons.NonFiniteValue, decoder.Decode(Encoding.UTF8.GetBytes(Telegraf(1, 0, "1e400")), InputFormat.Telegraf, Now));

        // What all the values share (the timestamp, the labels) fails for all of them: one dead letter, no index.
        Assert.Equal(RejectReasons.TimestampInFuture, decoder.Decode(Encoding.UTF8.GetBytes(Collectd(3, 1, "\"x\"")), InputFormat.Collectd, Now - 3_600_000));
        Assert.Equal(RejectReasons.MalformedJson, decoder.Decode(Encoding.UTF8.GetBytes(Collectd(3, 1, "1").Replace("\"d2\"", "2", StringComparison.Ordinal)), InputFormat.Collectd, Now));
    }

    [Fact]
    public void Every_bad_value_of_a_record_is_named()
    {
        var json = Collectd(3, 0, "\"x\"").Replace("[\"x\",1,2]", "[\"x\",1e400,2]", StringComparison.Ordinal);

        var (reason, points, refused) = OtlpPoints.DecodeAll(Encoding.UTF8.GetBytes(json), InputFormat.Collectd, Now);

        Assert.Null(reason);
        Assert.Equal([(0, RejectReasons.NonNumericValue), (1, RejectReasons.NonFiniteValue)], refused);
        Assert.Equal([2.0], points.Select(p => p.Value));
    }

    [Fact]
    public void Decoding_records_with_a_bad_value_again_allocates_nothing()
    {
        var telegraf = Encoding.UTF8.GetBytes(Telegraf(200, 17, "1e400"));
        var collectd = Encoding.UTF8.GetBytes(Collectd(200, 17, "\"x\""));
        var decoder = new RecordDecoder(new IngestOptions { CounterMetrics = "app_f3" });
        void DecodeBoth()
        {
            Assert.Null(decoder.Decode(telegraf, InputFormat.Auto, Now));
            Assert.Equal(RejectReasons.NonFiniteValue, decoder.Record.Fields.Refusal(17));
            Assert.Null(decoder.Decode(collectd, InputFormat.Auto, Now));
            Assert.Equal(RejectReasons.NonNumericValue, decoder.Record.Fields.Refusal(17));
        }

        DecodeBoth();
        Assert.Equal(0, Allocations.Fewest(DecodeBoth));
    }
}
