using BenchmarkDotNet.Attributes;
using Forecaster.Core.Lstm;

namespace Forecaster.Benchmarks;

/// <summary>
/// The matrix products that dominate the LSTM step and the training step, on their own
/// (2·M·N·K flops each): compare with <see cref="FmaPeakBenchmarks"/> measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];

    /// <summary>"M×N×K" with a trailing T when A is read transposed (weight gradients).</summary>
    [Params("1024x256x72", "64x256x72", "64x64x256", "10752x144x64", "144x64x10752T", "256x64x64T", "256x64x64", "128x144x64", "144x64x128", "128x64x144")]
    public string Shape { get; set; } = "";

    /// <summary>Kernel path of the product: every vector path this CPU supports.</summary>
    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; } = KernelDispatch.Selected;

    public static IEnumerable<KernelPath> Paths => LstmStepBenchmarks.Paths;

    private int M { get; set; }

    private int N { get; set; }

    private int K { get; set; }

    private bool Transposed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Transposed = Shape.EndsWith('T');
        var parts = Shape.TrimEnd('T').Split('x');
        (M, N, K) = (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        var random = new Random(1);
        a = Enumerable.Range(0, M * K).Select(_ => (float)random.NextDouble()).ToArray();
        b = Enumerable.Range(0, K * N).Select(_ => (float)random.NextDouble()).ToArray();
        c = new float[M * N];
    }

    [Benchmark]
    public void Product()
    {
        if (Transposed)
        {
            Gemm.Run(M, N, K, a, 1, M, b, N, c, N, c, N, Path);
        }
        else
        {
            Gemm.Run(M, N, K, a, K, 1, b, N, c, N, c, N, Path);
        }
    }
}
