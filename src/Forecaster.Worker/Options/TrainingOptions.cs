using Forecaster.Core.Training;

namespace Forecaster.Worker.Options;

/// <summary>The <c>Training</c> section: when and how each shard retrains its model in the background.</summary>
internal sealed class TrainingOptions
{
    public const string Section = "Training";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between two runs of a shard (0: only <see cref="EveryPoints"/> triggers).</summary>
    [Duration(DurationUnit.Seconds)]
    public int Interval { get; set; } = 600;

    /// <summary>New points of a shard since its last run that trigger the next (0: only <see cref="Interval"/> triggers).</summary>
    public long EveryPoints { get; set; } = 50_000;

    /// <summary>
    /// New points that trigger the first run of a new model (0: only <see cref="EveryPoints"/>). After each run that
    /// trained, the gate sets the next threshold: an accepted challenger keeps it (training pays, so it stays
    /// frequent); a refused one doubles it, up to <see cref="EveryPoints"/>.
    /// </summary>
    public long FirstPoints { get; set; } = 10_000;

    /// <summary>Continue each run from the Adam state of the run that made the serving model (false: zero moments every run).</summary>
    public bool KeepOptimizer { get; set; } = true;

    /// <summary>
    /// Share of the champion's weights in the challenger, in [0, 1): a weight-space ensemble of recent champions
    /// (0: the trained weights alone). The gate judges the blend.
    /// </summary>
    public float ChampionShare { get; set; }

    /// <summary>Steps per truncated-BPTT window.</summary>
    public int Window { get; set; } = 168;

    /// <summary>Windows per optimizer step.</summary>
    public int Batch { get; set; } = 32;

    /// <summary>Optimizer steps per run.</summary>
    public int Steps { get; set; } = 300;

    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Pinball level the point (0.5) output is trained at; under 0.5 counters sMAPE's bias (ES-RNN). 0.5: the median.</summary>
    public float PointLevel { get; set; } = 0.5f;

    /// <summary>Global gradient norm above which gradients are scaled down.</summary>
    public float ClipNorm { get; set; } = 1f;

    /// <summary>Leading steps of every window that warm the state up and carry no loss.</summary>
    public int BurnIn { get; set; } = 24;

    /// <summary>Time budget of one run in seconds; a run that exceeds it is abandoned (counted as <c>timed_out</c>).</summary>
    [Duration(DurationUnit.Seconds)]
    public int MaxSeconds { get; set; } = 300;

    /// <summary>Most runs at once across the shards of this worker (each takes <see cref="StepThreads"/> threads; never the consume thread).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Threads one run's optimizer steps are split over (the batch's windows shared out, gradients summed in a fixed
    /// order: bit-identical runs for a given count, another count differs by float rounding). 0: auto, the cores left
    /// once one is kept for the consume thread, shared by the <see cref="Threads"/> runs: <c>max(1, (cores - 1) / Threads)</c>.
    /// </summary>
    public int StepThreads { get; set; }

    /// <summary><see cref="StepThreads"/> resolved on a machine of <paramref name="cores"/> cores: at least 1.</summary>
    public int StepThreadsOn(int cores) => StepThreads > 0 ? StepThreads : Math.Max(1, (cores - 1) / Math.Max(1, Threads));

    /// <summary>
    /// Recent steps replayed per series to re-warm its LSTM state after a swap (at most its history). On M4 Hourly in
    /// stream mode (2026-12-03, same training in both runs) 168 scored OWA 0.458 against 0.499 with 48 at 1,024 values
    /// of history, and 0.476 against 0.488 at 512. The consume thread's pause at a swap grows with series × steps
    /// (batches of up to 1,024 series).
    /// </summary>
    public int RewarmSteps { get; set; } = 168;

    /// <summary>
    /// Most series sampled (deterministically, with <see cref="Seed"/> and the run number) into one run; 0: every
    /// series of the shard with enough history. A cap bounds a run's memory (its training rows, about 64 KB per series
    /// at 12 horizons); successive runs draw different samples.
    /// </summary>
    public int MaxSeries { get; set; } = 4096;

    public int Seed { get; set; } = 7;

    /// <summary>
    /// The model a new shard serves before its first accepted retraining: <see cref="InitialModel.Pretrained"/>
    /// (the shipped model of the same shape, see src/Forecaster.Worker/Models/SOURCE.md; random weights with a log
    /// line when none matches) or <see cref="InitialModel.Scratch"/> (seeded random weights).
    /// </summary>
    public InitialModel StartFrom { get; set; } = InitialModel.Pretrained;

    /// <summary>Core's settings of run number <paramref name="run"/> (the window sampling seed moves on with each run).</summary>
    public FitSettings ToFitSettings(long run = 0) =>
        new(Window, Batch, Steps, LearningRate, ClipNorm, BurnIn, unchecked(Seed + (int)run), PointLevel) { Threads = StepThreadsOn(Environment.ProcessorCount) };
}
