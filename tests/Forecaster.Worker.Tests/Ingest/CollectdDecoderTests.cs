using System.Text;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>
/// collectd write_kafka JSON. The samples were captured from Debian's collectd-core 5.12.0-14 (write_kafka, Format JSON,
/// Interval 1, plugins cpu/load/memory/interface, Hostname "test-host") writing to the mock broker on 2026-12-03: one
/// topic with StoreRates false (raw) and one with the default StoreRates true (rates), read back with kcat.
/// </summary>
public class CollectdDecoderTests
{
    public const string RawCpu = """[{"values":[744879],"dstypes":["derive"],"dsnames":["value"],"time":1796286956.178,"interval":1.000,"host":"test-host","plugin":"cpu","plugin_instance":"0","type":"cpu","type_instance":"user"}]""";
    public const string RawOctets = """[{"values":[555891322,594813],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796286955.189,"interval":1.000,"host":"test-host","plugin":"interface","plugin_instance":"eth0","type":"if_octets","type_instance":""}]""";
    public const string Memory = """[{"values":[37523456],"dstypes":["gauge"],"dsnames":["value"],"time":1796286955.189,"interval":1.000,"host":"test-host","plugin":"memory","plugin_instance":"","type":"memory","type_instance":"slab_unrecl"}]""";
    public const string Load = """[{"values":[2.3232421875,0.8466796875,0.7529296875],"dstypes":["gauge","gauge","gauge"],"dsnames":["shortterm","midterm","longterm"],"time":1796286955.189,"interval":1.000,"host":"test-host","plugin":"load","plugin_instance":"","type":"load","type_instance":""}]""";
    public const string RatesFirstCpu = """[{"values":[null],"dstypes":["derive"],"dsnames":["value"],"time":1796286956.178,"interval":1.000,"host":"test-host","plugin":"cpu","plugin_instance":"0","type":"cpu","type_instance":"nice"}]""";
    public const string RatesFirstPackets = """[{"values":[null,null],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796286955.189,"interval":1.000,"host":"test-host","plugin":"interface","plugin_instance":"ifb0","type":"if_packets","type_instance":""}]""";

    private const long Now = 1_796_287_000_000;

    private static (string? Reason, RecordDecoder Decoder) Decode(string json, InputFormat format = InputFormat.Collectd, bool storeRates = true)
    {
        var decoder = new RecordDecoder(new IngestOptions { CollectdStoreRates = storeRates });
        return (decoder.Decode(Encoding.UTF8.GetBytes(json), format, Now), decoder);
    }

    private static string[] Ids(RecordDecoder decoder) =>
        [.. Enumerable.Range(0, decoder.Record.FieldCount).Select(i => decoder.Ids.Build(decoder.Record, i).ToString())];

    [Fact]
    public void Raw_derive_is_a_counter_named_as_write_prometheus_names_it()
    {
        var (reason, decoder) = Decode(RawCpu, storeRates: false);

        Assert.Null(reason);
        Assert.Equal(["collectd_cpu_total{cpu=\"0\",instance=\"test-host\",type=\"user\"}"], Ids(decoder));
        Assert.Equal(744879, decoder.Record.FieldValue(0));
        Assert.Equal(MetricKind.Counter, decoder.Record.FieldKind(0));
        Assert.Equal(1_796_286_956_178, decoder.Record.TimestampMs);
    }

    [Fact]
    public void With_store_rates_a_derive_arrives_as_a_rate_and_is_a_gauge()
    {
        var (reason, decoder) = Decode(RawCpu.Replace("[744879]", "[12.5]", StringComparison.Ordinal));

        Assert.Null(reason);
        Assert.Equal(12.5, decoder.Record.FieldValue(0));
        Assert.Equal(MetricKind.Gauge, decoder.Record.FieldKind(0));
    }

    [Fact]
    public void Each_data_source_is_a_field_suffixed_with_its_name()
    {
        var (reason, decoder) = Decode(RawOctets, storeRates: false);

        Assert.Null(reason);
        Assert.Equal(
            ["collectd_interface_if_octets_rx_total{instance=\"test-host\",interface=\"eth0\"}", "collectd_interface_if_octets_tx_total{instance=\"test-host\",interface=\"eth0\"}"],
            Ids(decoder));
        Assert.Equal([555891322.0, 594813.0], [decoder.Record.FieldValue(0), decoder.Record.FieldValue(1)]);
        Assert.All(Enumerable.Range(0, 2), i => Assert.Equal(MetricKind.Counter, decoder.Record.FieldKind(i)));
    }

    [Fact]
    public void Gauges_keep_their_value_and_a_type_instance_without_plugin_instance_is_keyed_by_plugin()
    {
        var (reason, memory) = Decode(Memory);
        Assert.Null(reason);
        Assert.Equal(["collectd_memory{instance=\"test-host\",memory=\"slab_unrecl\"}"], Ids(memory));
        Assert.Equal(MetricKind.Gauge, memory.Record.FieldKind(0));
        Assert.Equal(0, memory.Record.Fields.SkippedCount);

        (reason, var load) = Decode(Load);
        Assert.Null(reason);
        Assert.Equal(["collectd_load_shortterm{instance=\"test-host\"}", "collectd_load_midterm{instance=\"test-host\"}", "collectd_load_longterm{instance=\"test-host\"}"], Ids(load));
        Assert.Equal(0.7529296875, load.Record.FieldValue(2));
    }

    [Fact]
    public void Null_values_are_skipped_and_counted_not_dead_lettered()
    {
        var (reason, decoder) = Decode(RatesFirstPackets);
        Assert.Null(reason);
        Assert.Equal(0, decoder.Record.FieldCount);
        Assert.Equal(2, decoder.Record.Fields.SkippedCount);
        Assert.Equal(SkipReasons.NullValue, decoder.Record.Fields.SkipReason(1));

        (reason, decoder) = Decode(RawOctets.Replace("[555891322,594813]", "[null,594813]", StringComparison.Ordinal));
        Assert.Null(reason);
        Assert.Equal(["collectd_interface_if_octets_tx_total{instance=\"test-host\",interface=\"eth0\"}"], Ids(decoder));
        Assert.Equal(1, decoder.Record.Fields.SkippedCount);
    }

    [Fact]
    public void Absolute_is_divided_by_the_interval_when_raw_and_taken_as_a_rate_otherwise()
    {
        const string Absolute = """[{"values":[30],"dstypes":["absolute"],"dsnames":["value"],"time":1796286955.0,"interval":10.000,"host":"h","plugin":"p","plugin_instance":"","type":"t","type_instance":""}]""";

        var (reason, raw) = Decode(Absolute, storeRates: false);
        Assert.Null(reason);
        Assert.Equal(3.0, raw.Record.FieldValue(0));
        Assert.Equal(MetricKind.Gauge, raw.Record.FieldKind(0));
        Assert.Equal(["collectd_p_t{instance=\"h\"}"], Ids(raw));

        (reason, var rates) = Decode(Absolute);
        Assert.Null(reason);
        Assert.Equal(30.0, rates.Record.FieldValue(0));
    }

    [Theory]
    [InlineData(RawCpu)]
    [InlineData(RawOctets)]
    [InlineData(Memory)]
    [InlineData(Load)]
    [InlineData(RatesFirstCpu)]
    public void Auto_detects_collectd(string json)
    {
        var (reason, decoder) = Decode(json, InputFormat.Auto);

        Assert.Null(reason);
        Assert.StartsWith("collectd_", decoder.Record.Text(decoder.Record.Metric).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "Collectd", RejectReasons.MissingField)]
    [InlineData("[]", "Auto", RejectReasons.MalformedJson)]
    [InlineData("[{\"values\":[1]}]", "Auto", RejectReasons.UnknownFormat)]
    [InlineData("[{\"values\":[1],", "Collectd", RejectReasons.MalformedJson)]
    [InlineData(Memory + " x", "Collectd", RejectReasons.MalformedJson)]
    [InlineData("{\"values\":[1]}", "Collectd", RejectReasons.MalformedJson)]
    public void Malformed_or_unrecognised_records_are_refused(string json, string format, string expected)
    {
        Assert.Equal(expected, Decode(json, Enum.Parse<InputFormat>(format)).Reason);
    }

    [Theory]
    [InlineData("\"values\":[37523456]", "\"values\":[\"many\"]", RejectReasons.NonNumericValue)]
    [InlineData("\"values\":[37523456]", "\"values\":[1e999]", RejectReasons.NonFiniteValue)]
    [InlineData("\"values\":[37523456]", "\"values\":[1e300]", RejectReasons.ValueOutOfRange)]
    [InlineData("\"values\":[37523456]", "\"values\":[1,2]", RejectReasons.MalformedJson)]
    [InlineData("[\"gauge\"]", "[\"histogram\"]", RejectReasons.InvalidKind)]
    [InlineData("\"time\":1796286955.189,", "", RejectReasons.MissingField)]
    [InlineData("\"time\":1796286955.189", "\"time\":\"now\"", RejectReasons.InvalidTimestamp)]
    [InlineData("\"host\":\"test-host\",", "", RejectReasons.MissingField)]
    [InlineData("\"time\":1796286955.189", "\"time\":1796296955.189", RejectReasons.TimestampInFuture)]
    public void A_bad_value_list_is_one_dead_letter_with_its_reason(string from, string to, string expected)
    {
        Assert.Equal(expected, Decode(Memory.Replace(from, to, StringComparison.Ordinal)).Reason);
    }

    [Fact]
    public void More_than_one_value_list_in_a_record_is_refused_as_a_batch()
    {
        Assert.Equal(RejectReasons.UnsupportedBatch, Decode(Memory[..^1] + "," + Load[1..]).Reason);
    }

    [Fact]
    public void Meta_and_unknown_properties_are_ignored()
    {
        var (reason, decoder) = Decode(Memory.Replace("}]", ",\"meta\":{\"network:received\":true,\"x\":[1,{\"y\":2}]}}]", StringComparison.Ordinal));

        Assert.Null(reason);
        Assert.Equal(37523456, decoder.Record.FieldValue(0));
    }
}
