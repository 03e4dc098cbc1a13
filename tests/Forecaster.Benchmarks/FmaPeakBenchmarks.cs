using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Forecaster.Benchmarks;

/// <summary>
/// This core's single-precision FMA peak: 12 independent FMA chains (two FMA ports × 4-cycle latency need at
/// least 8 in flight) for <see cref="Iterations"/> rounds, of Vector256 (<see cref="Peak"/>: Iterations · 12
/// chains · 8 lanes · 2 = 192 MFLOP) and of Vector512 (<see cref="Peak512"/>: 384 MFLOP; 0 without AVX-512).
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

    [Benchmark]
#pragma warning disable CA1822 // BenchmarkDotNet calls benchmarks on an instance.
    public float Peak512()
#pragma warning restore CA1822
    {
        if (!Avx512F.IsSupported)
        {
            return 0f;
        }

        var m = Vector512.Create(0.9999f);
        var add = Vector512.Create(1e-4f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < Iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, add);
            a1 = Avx512F.FusedMultiplyAdd(a1, m, add);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, add);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, add);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, add);
            a5 = Avx512F.FusedMultiplyAdd(a5, m, add);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, add);
            a7 = Avx512F.FusedMultiplyAdd(a7, m, add);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, add);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, add);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, add);
            a11 = Avx512F.FusedMultiplyAdd(a11, m, add);
        }

        var sum = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11);
        return Vector512.Sum(sum);
    }
}
