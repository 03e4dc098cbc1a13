using System.Globalization;
using System.Text;
using System.Text.Json;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>
/// The plain canonical parser against the full path it stands in for (the format detector, then the canonical parser on
/// Utf8JsonReader): every record it takes must be one the detector calls canonical and the full parser decodes without
/// a reason into the same record, field for field; it must take the plain records, and leave the rest to the full path.
/// </summary>
public class PlainCanonicalParserTests
{
    private static readonly byte[] Noise = "\"\\{}[],:. -+eE0123456789an\t\n\u0001"u8.ToArray();

    [Fact]
    public void Every_record_it_takes_decodes_as_the_full_path_decodes_it()
    {
        var random = new Random(23);
        int plain = 0, taken = 0, corrupted = 0, corruptedTaken = 0;
        for (var i = 0; i < 4000; i++)
        {
            var record = Generate(random);
            var took = Compare(record);
            var scratch = new DecodedRecord();
            scratch.Clear(record.Length);
            var usable = FullReason(record, scratch) is null; // not a timestamp beyond ±1e15 ms, say
            Assert.True(took == usable, $"took {took}, the full path usable {usable}: {Encoding.UTF8.GetString(record)}");
            plain += usable ? 1 : 0;
            taken += took ? 1 : 0;
            for (var m = 0; m < 10; m++)
            {
                corrupted++;
                corruptedTaken += Compare(Corrupt(record, random)) ? 1 : 0;
            }
        }

        Assert.True(plain > 3900, $"{plain} of 4000 generated records usable");
        Assert.Equal(plain, taken);
        Assert.True(corruptedTaken > 0 && corruptedTaken < corrupted, $"took {corruptedTaken} of {corrupted} corrupted records");
    }

    [Theory]
    [InlineData("""{"metric":"cpu","ts":"2025-11-25T19:59:00Z","value":1}""")] // an ISO timestamp
    [InlineData("""{"metric":"cpu","labels":{"a":"x\"y"},"ts":1,"value":1}""")] // an escape
    [InlineData("""{"metric":"cpü","ts":1,"value":1}""")] // not ASCII
    [InlineData("""{"metric":"cpu","ts":1,"value":1,"source":"x"}""")] // another key
    [InlineData("""{"metric":"cpu","ts":1,"value":1,"value":2}""")] // a key twice
    [InlineData("""{"metric":"cpu","ts":1,"value":1e39}""")] // beyond a float: the full path names it
    [InlineData("""{"metric":"cpu","ts":1,"value":1,"kind":"rate"}""")] // a kind the full path refuses
    [InlineData("""{"metric":"","ts":1,"value":1}""")] // no metric
    [InlineData("""{"metric":"cpu","ts":1,"value":1} x""")] // trailing bytes
    [InlineData("""{"metric":"cpu","ts":01,"value":1}""")] // not JSON's number grammar
    public void Leaves_other_records_to_the_full_path(string json)
    {
        var record = new DecodedRecord();
        record.Clear(json.Length);
        Assert.False(PlainCanonicalParser.TryParse(Encoding.UTF8.GetBytes(json), record));
    }

    [Fact]
    public void Takes_a_point_with_every_key_and_whitespace_between_tokens()
    {
        var json = " {\"kind\" : \"counter\",\n\"labels\":{ \"b\":\"2\" , \"a\":\"1\" },\t\"value\":-1.25e2,\"ts\":1764100800000.9,\r\"metric\":\"x\" } \n";
        var record = new DecodedRecord();
        record.Clear(json.Length);

        Assert.True(PlainCanonicalParser.TryParse(Encoding.UTF8.GetBytes(json), record));
        Assert.Equal("x", record.Text(record.Metric).ToString());
        Assert.Equal(1_764_100_800_000, record.TimestampMs);
        Assert.Equal(-125.0, record.FieldValue(0));
        Assert.Equal(MetricKind.Counter, record.FieldKind(0));
        Assert.Equal(("b", "2"), (record.LabelKey(0).ToString(), record.LabelValue(0).ToString()));
    }

    [Theory]
    [InlineData("""{"metric":"cpu","labels":{"a":"b"},"ts":1,"value":2}""", """{"metric":"cpu","labels":{"a":"b"},""")]
    [InlineData(""" { "metric" : "cpu" ,  "value":2,"ts":1,"kind":"counter"}""", """ { "metric" : "cpu" ,  """)]
    [InlineData("""{"labels":null,"metric":"cpu","kind":null,"ts":1,"value":2}""", """{"labels":null,"metric":"cpu",""")]
    [InlineData("""{"metric":"cpu","ts":1,"labels":{},"value":2}""", null)] // labels after ts: no identity
    [InlineData("""{"kind":"gauge","metric":"cpu","ts":1,"value":2}""", null)]
    public void The_identity_is_what_precedes_the_timestamp_value_and_kind_when_metric_and_labels_come_first(string json, string? identity)
    {
        var record = new DecodedRecord();
        record.Clear(json.Length);
        Assert.True(PlainCanonicalParser.TryParse(Encoding.UTF8.GetBytes(json), record));
        Assert.Equal(identity?.Length ?? -1, record.IdentityLength);
    }

    [Fact]
    public void A_tail_after_a_known_identity_is_taken_exactly_when_the_whole_record_is_and_reads_the_same()
    {
        var random = new Random(29);
        var identities = new List<byte[]>();
        var tails = new List<byte[]>();
        while (identities.Count < 600)
        {
            var bytes = Generate(random);
            var record = new DecodedRecord();
            record.Clear(bytes.Length);
            if (PlainCanonicalParser.TryParse(bytes, record) && record.IdentityLength > 0)
            {
                identities.Add(bytes[..record.IdentityLength]);
                tails.Add(bytes[record.IdentityLength..]);
            }
        }

        int combined = 0, taken = 0;
        for (var i = 0; i < identities.Count; i++)
        {
            // Another record's tail after this identity, as it is and with one byte of it corrupted.
            var tail = tails[(i + 1) % tails.Count];
            for (var m = 0; m < 8; m++)
            {
                var candidate = m == 0 ? tail : Corrupt(tail, random);
                byte[] whole = [.. identities[i], .. candidate];
                var record = new DecodedRecord();
                record.Clear(whole.Length);
                var wholeTaken = PlainCanonicalParser.TryParse(whole, record);
                var tailTaken = PlainCanonicalParser.TryParseTail(candidate, out var ts, out var value);
                Assert.True(wholeTaken == tailTaken, $"tail {tailTaken}, whole {wholeTaken}: {Encoding.UTF8.GetString(whole)}");
                if (wholeTaken)
                {
                    var whitespace = candidate.Length - candidate.AsSpan().TrimStart(" \t\r\n"u8).Length; // a corruption can put some before the tail's first key
                    Assert.Equal(identities[i].Length + whitespace, record.IdentityLength);
                    Assert.Equal(record.TimestampMs, ts);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(record.FieldValue(0)), BitConverter.DoubleToInt64Bits(value));
                }

                combined++;
                taken += tailTaken ? 1 : 0;
            }
        }

        Assert.True(taken > identities.Count && taken < combined, $"took {taken} of {combined} tails");
    }

    [Theory]
    [InlineData(""" "ts":1,"value":2,"labels":{}}""")] // identity keys belong to the identity
    [InlineData(""" "ts":1,"metric":"x","value":2}""")]
    [InlineData(""" "ts":1}""")] // no value
    [InlineData(""" "value":2,"kind":"rate","ts":1}""")] // a kind the full path refuses
    [InlineData(""" "ts":1,"value":2,"ts":3}""")]
    public void Refuses_a_tail_the_whole_record_would_not_be_taken_with(string tail) =>
        Assert.False(PlainCanonicalParser.TryParseTail(Encoding.UTF8.GetBytes(tail.TrimStart()), out _, out _));

    /// <summary>Runs both paths on <paramref name="bytes"/>; asserts they agree when the plain one takes it; returns whether it did.</summary>
    private static bool Compare(byte[] bytes)
    {
        var plain = new DecodedRecord();
        plain.Clear(bytes.Length);
        if (!PlainCanonicalParser.TryParse(bytes, plain))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var full = new DecodedRecord();
        full.Clear(bytes.Length);
        Assert.True(FullReason(bytes, full) is null, "the full path refuses " + text);
        Assert.Equal(Describe(full), Describe(plain));
        return true;
    }

    private static string? FullReason(byte[] bytes, DecodedRecord record)
    {
        try
        {
            if (FormatDetector.Detect(bytes) != InputFormat.Canonical)
            {
                return "not detected as canonical";
            }

            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            var reason = CanonicalParser.Parse(ref reader, record);
            return reason is null && reader.Read() ? RejectReasons.MalformedJson : reason;
        }
        catch (JsonException)
        {
            return RejectReasons.MalformedJson;
        }
    }

    private static string Describe(DecodedRecord record)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{record.Text(record.Metric)} ts={record.TimestampMs} kind={record.Kind} stated={record.KindStated} fields={record.FieldCount}");
        for (var i = 0; i < record.FieldCount; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{BitConverter.DoubleToInt64Bits(record.FieldValue(i))} {record.FieldKind(i)} {record.FieldSuffix(i)}]");
        }

        for (var i = 0; i < record.LabelCount; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $" {record.LabelKey(i)}={record.LabelValue(i)}");
        }

        return text.ToString();
    }

    /// <summary>A plain canonical point: keys in any order, optional labels and kind, numbers written in many ways, whitespace anywhere.</summary>
    private static byte[] Generate(Random random)
    {
        string Ws() => random.Next(4) == 0 ? new string(" \t\r\n"[random.Next(4)], random.Next(1, 3)) : "";
        string Str(string s) => $"{Ws()}\"{s}\"{Ws()}";
        string Name() => new([.. Enumerable.Range(0, random.Next(1, 8)).Select(_ => "abcxyz_:.09- /{}=,"[random.Next(18)])]);
        string Digits() // 1 to 20 digits, the point anywhere: either side of the 15 digits converted without the parser
        {
            var digits = new string([.. Enumerable.Range(0, random.Next(1, 21)).Select(_ => (char)('0' + random.Next(10)))]).TrimStart('0').PadLeft(1, '0');
            var point = random.Next(digits.Length + 1);
            var number = point is 0 || point == digits.Length ? digits : digits[..point] + "." + digits[point..];
            return (random.Next(2) == 0 ? "-" : "") + number;
        }

        string Number(double scale)
        {
            var x = (random.NextDouble() - 0.3) * scale;
            return random.Next(7) switch
            {
                5 => Digits(),
                0 => ((long)x).ToString(CultureInfo.InvariantCulture),
                1 => x.ToString("E3", CultureInfo.InvariantCulture),
                2 => x.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
                3 => "-0",
                4 => x.ToString("F6", CultureInfo.InvariantCulture),
                _ => x.ToString(CultureInfo.InvariantCulture),
            };
        }

        var members = new List<string>
        {
            $"{Str("metric")}:{Str(Name())}",
            $"{Str("ts")}:{Ws()}{Number(2e12)}{Ws()}",
            $"{Str("value")}:{Ws()}{Number(Math.Pow(10, random.Next(-3, 8)))}{Ws()}",
        };
        if (random.Next(3) > 0)
        {
            var labels = random.Next(4) == 0 ? "null"
                : "{" + Ws() + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => $"{Str(Name())}:{Str(Name())}")) + "}";
            members.Add($"{Str("labels")}:{Ws()}{labels}{Ws()}");
        }

        if (random.Next(2) == 0)
        {
            members.Add($"{Str("kind")}:{(random.Next(3) switch { 0 => Str("gauge"), 1 => Str("counter"), _ => Ws() + "null" + Ws() })}");
        }

        var shuffled = members.OrderBy(_ => random.Next()).ToList();
        return Encoding.UTF8.GetBytes(Ws() + "{" + string.Join(",", shuffled) + "}" + Ws());
    }

    /// <summary>The record with one byte deleted, inserted or replaced.</summary>
    private static byte[] Corrupt(byte[] record, Random random)
    {
        var bytes = record.ToList();
        var at = random.Next(bytes.Count);
        switch (random.Next(3))
        {
            case 0: bytes.RemoveAt(at); break;
            case 1: bytes.Insert(at, Noise[random.Next(Noise.Length)]); break;
            default: bytes[at] = Noise[random.Next(Noise.Length)]; break;
        }

        return [.. bytes];
    }
}
