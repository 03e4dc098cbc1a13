using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Training;

/// <summary>
/// A shard trains on one regime (a daily wave with a slower 30-step cycle the smoothing baseline does not model),
/// then the stream changes. With retraining on, the online error of the LSTM (the worker's own measure) comes back
/// to within 20 % of its level before the change and the model version advances; with the schedule switched off
/// at the change (same champion, same stream) the version stays and, for a new daily pattern, the error stays high.
/// </summary>
public class RegimeChangeTests
{
    private const int Series = 8;
    private const int StepsBefore = 400;
    // 800, not 500: since training windows see the phase features serving sees (they used to start at phase 0 at
    // the oldest value of the ring, which moves), the first regime's model leans on them, and un-learning that
    // regime takes longer: at 500 steps the error was 1.45x its level before the change, at 800 within 1.2x.
    private const int StepsAfter = 800;

    private static TrainingOptions Options() => new()
    {
        Enabled = true,
        Interval = 0,
        EveryPoints = Series * 150,
        Window = 48,
        Batch = 8,
        Steps = 120,
        LearningRate = 5e-3f,
        BurnIn = 8,
        MaxSeconds = 600,
        RewarmSteps = 48,
        MaxSeries = Series,
        Seed = 3,
    };

    private static double Before(int s, long t) =>
        (20 + (10 * s)) * (1 + (0.2 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * s)) / 30.0)) + (0.01 * Noise(s, t)));

    private static double LevelShift(int s, long t) => Before(s, t) * 1.8;

    /// <summary>A new daily shape (a phase-shifted product of waves) and a 20-step instead of a 30-step slow cycle.</summary>
    private static double NewPattern(int s, long t) =>
        (20 + (10 * s)) * (1 + (0.3 * Math.Sin(2 * Math.PI * (t + 4) / 12.0) * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * s)) / 20.0)) + (0.01 * Noise(s, t)));

    private static double Noise(int s, long t) => ((((s * 7919) + (t * 104729)) % 1000) / 1000.0) - 0.5;

    private static async Task<(double Before, double After, long VersionAtChange, long VersionAfter)> Run(Func<int, long, double> after, bool retrainAfterChange)
    {
        using var stream = new TrainingStream(Options(), Series);
        await stream.RunAsync(Before, StepsBefore);
        var before = stream.Accuracy.ModelScaledError;
        var version = stream.Shard.Forecaster.ModelVersion;
        stream.Options.Enabled = retrainAfterChange;
        await stream.RunAsync(after, StepsAfter);
        return (before, stream.Accuracy.ModelScaledError, version, stream.Shard.Forecaster.ModelVersion);
    }

    [Fact]
    public async Task After_a_new_daily_pattern_retraining_brings_the_online_error_back()
    {
        var on = await Run(NewPattern, retrainAfterChange: true);
        var off = await Run(NewPattern, retrainAfterChange: false);

        Assert.True(on.VersionAtChange > 0, "the champion was trained on the first regime");
        Assert.Equal(on.Before, off.Before);
        Assert.True(on.VersionAfter > on.VersionAtChange);
        Assert.True(on.After <= 1.2 * on.Before, $"with retraining: {on.After:F3} vs {on.Before:F3} before the change");
        Assert.Equal(off.VersionAtChange, off.VersionAfter);
        Assert.True(off.After > 1.2 * off.Before, $"without retraining: {off.After:F3} vs {off.Before:F3} before the change");
    }

    /// <summary>
    /// A level shift: retraining brings the error back and advances the version. The normalisation (per-series
    /// scale and smoothed level) absorbs a pure level shift by itself, so without retraining the error recovers
    /// too; what the schedule being off changes there is only that the model stays the same.
    /// </summary>
    [Fact]
    public async Task After_a_level_shift_retraining_brings_the_online_error_back()
    {
        var on = await Run(LevelShift, retrainAfterChange: true);
        var off = await Run(LevelShift, retrainAfterChange: false);

        Assert.True(on.VersionAfter > on.VersionAtChange);
        Assert.True(on.After <= 1.2 * on.Before, $"with retraining: {on.After:F3} vs {on.Before:F3} before the change");
        Assert.Equal(off.VersionAtChange, off.VersionAfter);
    }
}
