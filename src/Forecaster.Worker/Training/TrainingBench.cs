using System.Globalization;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Bench;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Training;

/// <summary>
/// Part of the <c>bench</c> command: pipeline throughput with one training thread busy against idle, alternated
/// over fresh topics in the same run, reported as the ratio of the medians (issue 4 floor: ≥ 0.6 on 2 cores).
/// </summary>
internal static class TrainingBench
{
    public static double Run(string bootstrap, PipelineBenchmark bench, BenchInput input, ForecastSettings settings, int steps, int rounds)
    {
        var inv = CultureInfo.InvariantCulture;
        var count = (long)input.Series * steps;
        var idle = new List<double>();
        var busy = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var training in new[] { false, true })
            {
                var topic = string.Create(inv, $"bench.training.{round}.{(training ? "busy" : "idle")}");
                input.ProduceAll(bootstrap, topic, 0, steps);
                using var load = training ? new TrainingLoad(settings, new TrainingOptions()) : null;
                var (rate, _) = bench.Pipeline(topic, 0, count);
                (training ? busy : idle).Add(rate);
            }
        }

        var ratio = Median(busy) / Median(idle);
        Console.WriteLine(string.Create(inv, $"  pipeline, one training thread busy:   {Median(busy),10:F0} points/s  = {ratio:F2} x idle ({Median(idle):F0} points/s; medians of {rounds} alternated rounds)"));
        return ratio;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
