using Forecaster.Core.Training;

namespace Forecaster.Worker.Options;

/// <summary>The <c>Training</c> section: when and how each shard retrains its model in the background.</summary>
internal sealed class TrainingOptions
{
    public const string Section = "Training";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between two runs of a shard (0: only <see cref="EveryPoints"/> triggers).</summary>
    public int Interval { get; set; } = 600;

    /// <summary>New points of a shard since its last run that trigger the next (0: only <see cref="Interval"/> triggers).</summary>
    public long EveryPoints { get; set; } = 50_000;

    /// <summary>Steps per truncated-BPTT window.</summary>
    public int Window { get; set; } = 168;

    /// <summary>Windows per optimizer step.</summary>
    public int Batch { get; set; } = 32;

    /// <summary>Optimizer steps per run.</summary>
    public int Steps { get; set; } = 300;

    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Global gradient norm above which gradients are scaled down.</summary>
    public float ClipNorm { get; set; } = 1f;

    /// <summary>Leading steps of every window that warm the state up and carry no loss.</summary>
    public int BurnIn { get; set; } = 24;

    /// <summary>Time budget of one run in seconds; a run that exceeds it is abandoned (counted as <c>timed_out</c>).</summary>
    public int MaxSeconds { get; set; } = 300;

    /// <summary>Most runs at once across the shards of this worker (each takes one thread; never the consume thread).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Recent steps replayed per series to re-warm its LSTM state after a swap.</summary>
    public int RewarmSteps { get; set; } = 48;

    /// <summary>Most series sampled (deterministically, with <see cref="Seed"/>) into one run.</summary>
    public int MaxSeries { get; set; } = 256;

    public int Seed { get; set; } = 7;

    /// <summary>Core's settings of run number <paramref name="run"/> (the window sampling seed moves on with each run).</summary>
    public FitSettings ToFitSettings(long run = 0) =>
        new(Window, Batch, Steps, LearningRate, ClipNorm, BurnIn, unchecked(Seed + (int)run));
}
