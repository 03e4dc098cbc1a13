using BenchmarkDotNet.Attributes;
using Forecaster.Core.Lstm;

namespace Forecaster.Benchmarks;

/// <summary>
/// One online step for B series carrying (h, c), including the head: the fast batched path against the plain
/// reference loops. Matrix flops per step (2 per multiply-add): 2·B·((I+H)·4H + H·K·Q).
/// </summary>
[MemoryDiagnoser]
public class LstmStepBenchmarks
{
    private ForecastModel model = null!;
    private InferenceWorkspace workspace = null!;
    private float[] inputs = [];
    private float[] hidden = [];
    private float[] cell = [];
    private float[] outputs = [];
    private float[] gates = [];
    private float[] nextHidden = [];
    private float[] nextCell = [];

    [Params(1, 64, 1024)]
    public int Batch { get; set; }

    [Params(32, 64)]
    public int Hidden { get; set; }

    /// <summary>Kernel path of the fast step: every vector path this CPU supports.</summary>
    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; } = KernelDispatch.Selected;

    public static IEnumerable<KernelPath> Paths => new[] { KernelPath.Avx2, KernelPath.Avx512 }.Where(KernelDispatch.IsSupported);

    [GlobalSetup]
    public void Setup()
    {
        var shape = new ModelShape(InputSize: 8, Hidden, Horizons: 12, Quantiles: 3);
        model = ModelInitializer.Create(shape, [0.1f, 0.5f, 0.9f], seed: 1);
        workspace = new InferenceWorkspace(shape, Batch, Path);
        var random = new Random(2);
        inputs = new float[Batch * shape.InputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        hidden = new float[Batch * Hidden];
        cell = new float[Batch * Hidden];
        outputs = new float[Batch * shape.OutputSize];
        gates = new float[shape.GateSize];
        nextHidden = new float[Hidden];
        nextCell = new float[Hidden];
    }

    [Benchmark(Baseline = true)]
    public void Reference()
    {
        var shape = model.Shape;
        int inputSize = shape.InputSize, h = shape.HiddenSize, outputSize = shape.OutputSize;
        for (var b = 0; b < Batch; b++)
        {
            ReferenceLstmCell.Forward<float>(
                shape, model.Parameters, inputs.AsSpan(b * inputSize, inputSize), hidden.AsSpan(b * h, h), cell.AsSpan(b * h, h),
                gates, nextCell, nextHidden);
            nextCell.CopyTo(cell, b * h);
            nextHidden.CopyTo(hidden, b * h);
            ReferenceQuantileHead.Forward<float>(shape, model.Parameters, nextHidden, outputs.AsSpan(b * outputSize, outputSize));
        }
    }

    [Benchmark]
    public void Fast() => LstmInference.Step(model, workspace, Batch, inputs, hidden, cell, outputs);

    /// <summary>The same step without the head (the interleaved run's split of the step's time; not a BenchmarkDotNet case).</summary>
    public void FastState() => LstmInference.StepState(model, workspace, Batch, inputs, hidden, cell);
}
