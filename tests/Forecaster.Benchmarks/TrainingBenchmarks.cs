using BenchmarkDotNet.Attributes;
using Forecaster.Core.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Benchmarks;

/// <summary>
/// One TBPTT step (forward, head, pinball loss, backward through the window, clipping, Adam), B = 64, H = 64,
/// I = 8, K = 48, Q = 3. Matrix flops per step (2 per multiply-add):
/// T·(2·B·(I+H)·4H·2 + 2·B·4H·H) for the cell and 3·2·T·B·H·K·Q for the head.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private static readonly float[] Levels = [0.1f, 0.5f, 0.9f];
    private TbpttTrainer trainer = null!;
    private TrainingBatch batch = null!;
    private float[] parameters = [];

    [Params(48, 168)]
    public int Window { get; set; }

    /// <summary>Kernel path of the trainer: every vector path this CPU supports.</summary>
    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; } = KernelDispatch.Selected;

    public static IEnumerable<KernelPath> Paths => LstmStepBenchmarks.Paths;

    /// <summary>Threads of the step (<see cref="TrainerSettings.Threads"/>; the batch of 64 is split in that many shards).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var shape = new ModelShape(InputSize: 8, HiddenSize: 64, Horizons: 48, Quantiles: 3);
        parameters = ModelInitializer.Create(shape, Levels, seed: 1).Parameters;
        trainer = new TbpttTrainer(shape, new TrainerSettings(LearningRate: 1e-4f, ClipNorm: 1f, Window, Batch: 64) { Threads = Threads }, Path);
        batch = new TrainingBatch(shape, Window, 64);
        var random = new Random(2);
        for (var i = 0; i < batch.Inputs.Length; i++)
        {
            batch.Inputs[i] = (float)((2 * random.NextDouble()) - 1);
        }

        for (var i = 0; i < batch.Targets.Length; i++)
        {
            batch.Targets[i] = (float)((2 * random.NextDouble()) - 1);
            batch.TargetMask[i] = 1f;
        }
    }

    [Benchmark]
    public TrainStepResult Step() => trainer.Step(parameters, Levels, batch);
}
