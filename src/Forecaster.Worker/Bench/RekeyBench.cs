using System.Globalization;
using Forecaster.Worker.Demo;

namespace Forecaster.Worker.Bench;

/// <summary>
/// The <c>bench --rekey N</c> run: pipeline throughput (input → forecast acknowledged) of unkeyed input, every point
/// re-keyed through the repartition topic, against the same input keyed by series, alternated over fresh topics in the
/// same run (issue 14 item 1 floor: ≥ 0.5), each timed from its first record consumed to its last forecast acknowledged. Both workers run with the defaults (Ingest:TrustKeys false): the keyed one
/// checks each key and processes in place. Reported: each round, the medians and the ratio of the medians.
/// </summary>
internal static class RekeyBench
{
    public static int Run(MockKafkaCluster cluster, PipelineBenchmark bench, BenchInput input, int warmSteps, int steps, int rounds)
    {
        var inv = CultureInfo.InvariantCulture;
        var warm = (long)input.Series * warmSteps;
        var count = (long)input.Series * steps;
        Console.WriteLine(string.Create(inv, $"bench --rekey: {input.Series} series x {warmSteps + steps} steps (timed from the first record consumed to the last forecast acknowledged), {rounds} alternated rounds of keyed and unkeyed input (4 partitions each, and 4 of the repartition topic)"));
        var keyed = new List<double>();
        var rekeyed = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var key in new[] { true, false })
            {
                var topic = string.Create(inv, $"bench.rekey.{round}.{(key ? "keyed" : "unkeyed")}");
                cluster.CreateTopic(topic + ".rep", 4); // before the worker subscribes to it
                input.ProduceAll(cluster.BootstrapServers, topic, 0, warmSteps + steps, keyed: key);
                var (rate, _) = bench.Pipeline(topic, 0, warm + count, fromFirstRecord: true); // from the first record: the keyed worker forecasts as it reads, the re-keying one reads everything first
                (key ? keyed : rekeyed).Add(rate);
                Console.WriteLine(string.Create(inv, $"  round {round}, {(key ? "keyed:  " : "unkeyed:")} {rate,10:F0} points/s"));
            }
        }

        var ratio = Median(rekeyed) / Median(keyed);
        var ratios = keyed.Zip(rekeyed, (k, r) => r / k).Order().ToList();
        Console.WriteLine(string.Create(inv, $"  re-keyed pipeline: {Median(rekeyed),10:F0} points/s = {ratio:F2} x keyed ({Median(keyed):F0} points/s; medians of {rounds} rounds; per-round ratio {ratios[0]:F2}-{ratios[^1]:F2})"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
