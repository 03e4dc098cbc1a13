using System.Diagnostics;
using System.Globalization;
using Forecaster.Core.Lstm;

namespace Forecaster.Benchmarks;

/// <summary>
/// Fraction of FMA peak on a shared, noisy machine: measures the peak loops (256- and, where the CPU has it,
/// 512-bit), each fast workload on every vector kernel path the CPU supports and its plain reference
/// alternately, many rounds, and reports the fastest and the median sample of each, so all are compared at the
/// same conditions. "% of peak" is against the widest peak measured (512-bit on an AVX-512 machine), whatever
/// the path. Run with <c>-- interleaved</c>; complements the BenchmarkDotNet medians.
/// </summary>
internal static class InterleavedPeakRatio
{
    private const int Rounds = 60;

    /// <summary>Consumes the peak loop's result so the JIT cannot drop the loop.</summary>
    private static float sink;

    public static void Run()
    {
        var peak = new FmaPeakBenchmarks();
        var wide = KernelDispatch.IsSupported(KernelPath.Avx512);
        var workloads = new List<Workload>();
        var paths = LstmStepBenchmarks.Paths.ToArray();
        foreach (var (batch, hidden) in new[] { (1, 64), (64, 64), (1024, 64), (1, 32), (64, 32), (1024, 32) })
        {
            foreach (var path in paths)
            {
                var step = new LstmStepBenchmarks { Batch = batch, Hidden = hidden, Path = path };
                step.Setup();
                var flops = 2.0 * batch * (((8 + hidden) * 4 * hidden) + (hidden * 36));
                workloads.Add(new($"Step B={batch} H={hidden}", path, flops, Math.Max(1, 2000 / batch), step.Fast, path == paths[0] ? step.Reference : null));
                if (batch == 1024 && hidden == 64)
                {
                    var cellFlops = 2.0 * batch * (8 + hidden) * 4 * hidden;
                    workloads.Add(new($"Step B={batch} H={hidden}, no head", path, cellFlops, 2, step.FastState, null));
                }
            }
        }

        foreach (var window in new[] { 48, 168 })
        {
            foreach (var path in paths)
            {
                var training = new TrainingBenchmarks { Window = window, Path = path };
                training.Setup();
                var flops = window * ((2.0 * 64 * 72 * 256 * 2) + (2.0 * 64 * 256 * 64)) + (3 * 2.0 * window * 64 * 64 * 144);
                workloads.Add(new($"Training T={window}", path, flops, 1, () => training.Step(), null));
            }

            var split = new TrainingBenchmarks { Window = window, Path = KernelDispatch.Selected, Threads = 2 };
            split.Setup();
            var splitFlops = window * ((2.0 * 64 * 72 * 256 * 2) + (2.0 * 64 * 256 * 64)) + (3 * 2.0 * window * 64 * 64 * 144);
            workloads.Add(new($"Training T={window}, 2 threads", KernelDispatch.Selected, splitFlops, 1, () => split.Step(), null));
        }

        var peakSamples = new List<double>();
        var peak512Samples = new List<double>();
        foreach (var round in Enumerable.Range(0, Rounds))
        {
            peakSamples.Add(Seconds(() => sink += peak.Peak(), 1));
            if (wide)
            {
                peak512Samples.Add(Seconds(() => sink += peak.Peak512(), 1));
            }

            foreach (var workload in workloads)
            {
                workload.Fast.Add(Seconds(workload.Action, workload.Repeats));
                if (workload.Reference is not null && round % 4 == 0)
                {
                    workload.Slow.Add(Seconds(workload.Reference, Math.Max(1, workload.Repeats / 10)));
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({KernelDispatch.Describe()}; checksum {sink}, {Rounds} rounds; reference sampled every 4th round)"));
        const double peakFlops = FmaPeakBenchmarks.Iterations * 12.0 * 8 * 2;
        double peakBest = peakFlops / peakSamples.Min() / 1e9, peakMedian = peakFlops / Median(peakSamples) / 1e9;
        double widestBest = peakBest, widestMedian = peakMedian;
        Console.WriteLine("| Workload | Path | Reference median | Fast median | Fast best | GFLOP/s best | % of peak (best / best) | % of peak (median / median) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        if (wide)
        {
            (widestBest, widestMedian) = (2 * peakFlops / peak512Samples.Min() / 1e9, 2 * peakFlops / Median(peak512Samples) / 1e9);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| FMA peak 512-bit | | | {Median(peak512Samples) * 1e3:F3} ms | {peak512Samples.Min() * 1e3:F3} ms | {widestBest:F1} (median {widestMedian:F1}) | 100% | 100% |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| FMA peak 256-bit | | | {Median(peakSamples) * 1e3:F3} ms | {peakSamples.Min() * 1e3:F3} ms | {peakBest:F1} (median {peakMedian:F1}) | {100 * peakBest / widestBest:F0}% | {100 * peakMedian / widestMedian:F0}% |"));
        foreach (var w in workloads)
        {
            double best = w.Fast.Min(), median = Median(w.Fast), gBest = w.Flops / best / 1e9, gMedian = w.Flops / median / 1e9;
            var reference = w.Slow.Count > 0 ? Time(Median(w.Slow)) : "";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {w.Name} | {w.Path} | {reference} | {Time(median)} | {Time(best)} | {gBest:F1} | {100 * gBest / widestBest:F0}% | {100 * gMedian / widestMedian:F0}% |"));
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

    private sealed record Workload(string Name, KernelPath Path, double Flops, int Repeats, Action Action, Action? Reference)
    {
        public List<double> Fast { get; } = [];

        public List<double> Slow { get; } = [];
    }
}
