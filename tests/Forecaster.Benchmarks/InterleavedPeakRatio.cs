using System.Diagnostics;
using System.Globalization;

namespace Forecaster.Benchmarks;

/// <summary>
/// Fraction of FMA peak on a shared, noisy machine: measures the peak loop, each fast workload and its plain
/// reference alternately, many rounds, and reports the fastest and the median sample of each, so all are
/// compared at the same conditions. Run with <c>-- interleaved</c>; complements the BenchmarkDotNet medians.
/// </summary>
internal static class InterleavedPeakRatio
{
    private const int Rounds = 60;

    /// <summary>Consumes the peak loop's result so the JIT cannot drop the loop.</summary>
    private static float sink;

    public static void Run()
    {
        var peak = new FmaPeakBenchmarks();
        var workloads = new List<Workload>();
        foreach (var (batch, hidden) in new[] { (1, 64), (64, 64), (1024, 64), (1, 32), (64, 32), (1024, 32) })
        {
            var step = new LstmStepBenchmarks { Batch = batch, Hidden = hidden };
            step.Setup();
            var flops = 2.0 * batch * (((8 + hidden) * 4 * hidden) + (hidden * 36));
            workloads.Add(new($"Step B={batch} H={hidden}", flops, Math.Max(1, 2000 / batch), step.Fast, step.Reference));
        }

        foreach (var window in new[] { 48, 168 })
        {
            var training = new TrainingBenchmarks { Window = window };
            training.Setup();
            var flops = window * ((2.0 * 64 * 72 * 256 * 2) + (2.0 * 64 * 256 * 64)) + (3 * 2.0 * window * 64 * 64 * 144);
            workloads.Add(new($"Training T={window}", flops, 1, () => training.Step(), null));
        }

        var peakSamples = new List<double>();
        foreach (var round in Enumerable.Range(0, Rounds))
        {
            peakSamples.Add(Seconds(() => sink += peak.Peak(), 1));
            foreach (var workload in workloads)
            {
                workload.Fast.Add(Seconds(workload.Action, workload.Repeats));
                if (workload.Reference is not null && round % 4 == 0)
                {
                    workload.Slow.Add(Seconds(workload.Reference, Math.Max(1, workload.Repeats / 10)));
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(checksum {sink}, {Rounds} rounds; reference sampled every 4th round)"));
        const double peakFlops = FmaPeakBenchmarks.Iterations * 12.0 * 8 * 2;
        double peakBest = peakFlops / peakSamples.Min() / 1e9, peakMedian = peakFlops / Median(peakSamples) / 1e9;
        Console.WriteLine("| Workload | Reference median | Fast median | Fast best | GFLOP/s best | % of peak (best / best) | % of peak (median / median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| FMA peak | | {Median(peakSamples) * 1e3:F3} ms | {peakSamples.Min() * 1e3:F3} ms | {peakBest:F1} (median {peakMedian:F1}) | 100% | 100% |"));
        foreach (var w in workloads)
        {
            double best = w.Fast.Min(), median = Median(w.Fast), gBest = w.Flops / best / 1e9, gMedian = w.Flops / median / 1e9;
            var reference = w.Slow.Count > 0 ? Time(Median(w.Slow)) : "—";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {w.Name} | {reference} | {Time(median)} | {Time(best)} | {gBest:F1} | {100 * gBest / peakBest:F0}% | {100 * gMedian / peakMedian:F0}% |"));
        }
    }

    private static string Time(double seconds) => seconds >= 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F3} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F2} µs");

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Seconds(Action action, int repeats)
    {
        action();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            action();
        }

        return watch.Elapsed.TotalSeconds / repeats;
    }

    private sealed record Workload(string Name, double Flops, int Repeats, Action Action, Action? Reference)
    {
        public List<double> Fast { get; } = [];

        public List<double> Slow { get; } = [];
    }
}
