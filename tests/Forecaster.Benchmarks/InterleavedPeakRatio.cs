using System.Diagnostics;
using System.Globalization;

namespace Forecaster.Benchmarks;

/// <summary>
/// Fraction of FMA peak on a shared, noisy machine: measures the peak loop and each workload alternately,
/// many rounds, and keeps the fastest sample of each, so both are compared at the same (least contended)
/// conditions. Run with <c>-- interleaved</c>; complements the BenchmarkDotNet medians.
/// </summary>
internal static class InterleavedPeakRatio
{
    private const int Rounds = 60;

    /// <summary>Consumes the peak loop's result so the JIT cannot drop the loop.</summary>
    private static float sink;

    public static void Run()
    {
        var peak = new FmaPeakBenchmarks();
        var workloads = new List<(string Name, double Flops, int Repeats, Action Action)>();
        foreach (var (batch, hidden) in new[] { (1, 64), (64, 64), (1024, 64), (1, 32), (64, 32), (1024, 32) })
        {
            var step = new LstmStepBenchmarks { Batch = batch, Hidden = hidden };
            step.Setup();
            var flops = 2.0 * batch * (((8 + hidden) * 4 * hidden) + (hidden * 36));
            workloads.Add(($"Step B={batch} H={hidden}", flops, Math.Max(1, 2000 / batch), step.Fast));
        }

        foreach (var window in new[] { 48, 168 })
        {
            var training = new TrainingBenchmarks { Window = window };
            training.Setup();
            var flops = window * ((2.0 * 64 * 72 * 256 * 2) + (2.0 * 64 * 256 * 64)) + (3 * 2.0 * window * 64 * 64 * 144);
            workloads.Add(($"Training T={window}", flops, 1, () => training.Step()));
        }

        var bestPeak = double.MaxValue;
        var best = new double[workloads.Count];
        Array.Fill(best, double.MaxValue);
        for (var round = 0; round < Rounds; round++)
        {
            bestPeak = Math.Min(bestPeak, Seconds(() => sink += peak.Peak(), 1));
            for (var w = 0; w < workloads.Count; w++)
            {
                best[w] = Math.Min(best[w], Seconds(workloads[w].Action, workloads[w].Repeats));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(checksum {sink})"));
        var peakGflops = FmaPeakBenchmarks.Iterations * 12 * 8 * 2 / bestPeak / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| FMA peak | {bestPeak * 1e3:F3} ms | {peakGflops:F1} GFLOP/s | 100% |"));
        for (var w = 0; w < workloads.Count; w++)
        {
            var gflops = workloads[w].Flops / best[w] / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {workloads[w].Name} | {best[w] * 1e6:F2} us | {gflops:F1} GFLOP/s | {100 * gflops / peakGflops:F0}% |"));
        }
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
}
