using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Forecaster.Benchmarks;

/// <summary>
/// This core's single-precision FMA peak: 12 independent Vector256 FMA chains (two FMA ports × 4-cycle latency
/// need at least 8 in flight) for <see cref="Iterations"/> rounds. Flops per invocation:
/// Iterations · 12 chains · 8 lanes · 2 = 192 MFLOP, so GFLOP/s = 192 / (time in ms).
/// </summary>
[MemoryDiagnoser]
public class FmaPeakBenchmarks
{
    public const int Iterations = 1_000_000;

    [Benchmark]
#pragma warning disable CA1822 // BenchmarkDotNet calls benchmarks on an instance.
    public float Peak()
#pragma warning restore CA1822
    {
        if (!Fma.IsSupported)
        {
            return 0f;
        }

        var m = Vector256.Create(0.9999f);
        var add = Vector256.Create(1e-4f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector256<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < Iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, add);
            a1 = Fma.MultiplyAdd(a1, m, add);
            a2 = Fma.MultiplyAdd(a2, m, add);
            a3 = Fma.MultiplyAdd(a3, m, add);
            a4 = Fma.MultiplyAdd(a4, m, add);
            a5 = Fma.MultiplyAdd(a5, m, add);
            a6 = Fma.MultiplyAdd(a6, m, add);
            a7 = Fma.MultiplyAdd(a7, m, add);
            a8 = Fma.MultiplyAdd(a8, m, add);
            a9 = Fma.MultiplyAdd(a9, m, add);
            a10 = Fma.MultiplyAdd(a10, m, add);
            a11 = Fma.MultiplyAdd(a11, m, add);
        }

        var sum = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11);
        return Vector256.Sum(sum);
    }
}
