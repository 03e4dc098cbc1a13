using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// Records of known series read by their tail alone (<c>KnownIdentities</c>) give exactly what the full decoding
/// gives: the same forecasts, dead letters, re-keyed records and drop counts, over a stream that mixes the usual
/// records with every way one can differ from its series' last one.
/// </summary>
public class KnownIdentityDriverTests
{
    private const int Minutes = 60;

    private static readonly string[] Dropped = ["duplicate", "late_in_bucket", "superseded", "repartition_duplicate"];

    private static TopicPartition[] Partitions() =>
        [LoopDriver.Input(0), .. Enumerable.Range(0, 4).Select(p => new TopicPartition(LoopDriver.RepartitionTopic, p))];

    [Fact]
    public void Reading_known_series_by_their_tail_changes_nothing_the_worker_publishes()
    {
        var full = Run(readKnown: false);
        var tail = Run(readKnown: true);

        Assert.Equal(0, full.ReadByTail);
        Assert.True(tail.ReadByTail > Minutes, $"{tail.ReadByTail} records read by their tail");
        Assert.NotEmpty(full.Forecasts);
        Assert.Equal(full.Forecasts, tail.Forecasts);
        Assert.Equal(full.DeadLetters, tail.DeadLetters);
        Assert.Equal(full.Rekeyed, tail.Rekeyed);
        Assert.Equal(full.Drops, tail.Drops);
        Assert.Equal(
            ["invalid_kind", "non_numeric_value", "timestamp_in_future", "timestamp_too_old", "value_out_of_range"],
            full.DeadLetters.Select(d => d.Reason).Distinct().Order());
        Assert.True(full.Drops[0] > 0, "a duplicate was dropped");
        Assert.Equal(Enumerable.Range(0, Minutes).Count(m => m % 16 is 2 or 4 or 15), full.Rekeyed.Count); // the unkeyed and the mis-keyed
    }

    private static Outcome Run(bool readKnown)
    {
        using var driver = new LoopDriver(ingest: new IngestOptions { ReadKnownIdentities = readKnown });
        var records = Stream();
        driver.Assign(Partitions()).Then("append the stream", () =>
        {
            foreach (var (key, value) in records)
            {
                driver.Cluster.Append(LoopDriver.Input(0), new Message<byte[], byte[]> { Key = key is null ? null! : Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) });
            }
        })
            .Until("every record read, re-keyed ones too", () =>
                driver.Consumer.Position(LoopDriver.Input(0)) == records.Count
                && Partitions().Skip(1).All(p => driver.Cluster.EndOffset(p) == 0 || driver.Consumer.Position(p) == driver.Cluster.EndOffset(p)));
        driver.Run();

        return new Outcome(
            driver.Forecasts(),
            [.. driver.Cluster.ReadTopic(driver.Kafka.DeadLetterTopic).Select(r => (Encoding.UTF8.GetString(r.Value!), Encoding.UTF8.GetString(r.Headers!.GetLastBytes("forecaster.reason"))))],
            [.. driver.Cluster.ReadTopic(LoopDriver.RepartitionTopic).Select(r => Encoding.UTF8.GetString(r.Key!) + " " + Encoding.UTF8.GetString(r.Value!))],
            [.. Dropped.Select(reason => driver.Metrics.PointsDropped.WithLabels(reason).Value)],
            driver.Loop.RecordsReadByTail);
    }

    /// <summary>Series a and b a point a minute up to the driver's clock, b's records varied every few minutes.</summary>
    private static List<(string? Key, string Value)> Stream()
    {
        string a = TopicIo.SeriesId("a"), b = TopicIo.SeriesId("b");
        var records = new List<(string?, string)>();
        for (var m = 0; m < Minutes; m++)
        {
            var ts = TopicIo.T0 + ((m - Minutes) * 60_000L);
            var value = 100 + (10 * Math.Sin(m));
            records.Add((a, TopicIo.Point("a", ts, value)));
            var usual = TopicIo.Point("b", ts, value + 1);
            var head = "{\"metric\":\"m\",\"labels\":{\"s\":\"b\"},";
            var variant = (m % 16) switch
            {
                2 => TopicIo.Point("c", ts, value), // keyed as b, a series named in as many bytes: re-keyed
                3 => usual[..^1] + ",\"extra\":1}", // another key: the full path's to judge
                5 => TopicIo.Point("b", ts - 120_000, value), // the point of two minutes before again
                6 => usual.Replace("\"value\":", "\"kind\":\"counter\",\"value\":", StringComparison.Ordinal), // a stated kind, in the tail
                7 => usual.Replace("\"value\":", "\"kind\":\"rate\",\"value\":", StringComparison.Ordinal),
                8 => TopicIo.Point("b", TopicIo.T0 + 86_400_000L, value), // a day ahead of the clock
                9 => TopicIo.Point("b", ts - (3 * 3_600_000L), value), // hours behind the series
                10 => FormattableString.Invariant($"{head}\"ts\":\"{DateTimeOffset.FromUnixTimeMilliseconds(ts):O}\",\"value\":{value}}}"),
                11 => TopicIo.Point("b", ts, 1e39),
                12 => FormattableString.Invariant($"{head}\"ts\":{ts},\"value\":\"1\"}}"),
                13 => usual.Replace("{\"metric\":\"m\",", "{\"metric\":\"m\", ", StringComparison.Ordinal), // other bytes, the same series
                14 => usual.Replace(head, "{\"labels\":{\"s\":\"b\"},\"metric\":\"m\",", StringComparison.Ordinal),
                _ => usual,
            };
            var key = (m % 16) switch
            {
                4 => null, // unkeyed: re-keyed
                15 => a, // keyed as another series: re-keyed
                _ => b,
            };
            records.Add((key, m % 16 == 15 ? usual.Replace("\"s\":\"b\"", "\"s\":\"a2\"", StringComparison.Ordinal) : variant));
        }

        return records;
    }

    private sealed record Outcome(List<(string Key, string Value)> Forecasts, List<(string Value, string Reason)> DeadLetters, List<string> Rekeyed, double[] Drops, long ReadByTail);
}
