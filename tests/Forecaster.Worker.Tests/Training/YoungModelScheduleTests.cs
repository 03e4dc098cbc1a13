using Forecaster.Worker.Options;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Tests.Training;

/// <summary>
/// Training:FirstPoints: a new model retrains after few points; the gate sets the pace from there (an accepted
/// challenger keeps the threshold, a refused one doubles it up to Training:EveryPoints); the Adam state of the run
/// that made the serving model is handed to the next run.
/// </summary>
public class YoungModelScheduleTests
{
    private const int Series = 8;

    private static TrainingOptions Options(int steps) => new()
    {
        Enabled = true,
        Interval = 0,
        FirstPoints = 100,
        EveryPoints = 1000,
        Window = 48,
        Batch = 8,
        Steps = steps,
        LearningRate = 5e-3f,
        BurnIn = 8,
        MaxSeconds = 600,
        RewarmSteps = 24,
        MaxSeries = 0,
        Seed = 3,
    };

    private static double Wave(int s, long t) =>
        (20 + (10 * s)) * (1 + (0.2 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * s)) / 30.0)));

    /// <summary>Runs the stream and returns, per applied run, its outcome and the threshold it left.</summary>
    private static async Task<List<(string Outcome, long Threshold, TrainingRun Run)>> Runs(TrainingStream stream, int steps)
    {
        var runs = new List<(string, long, TrainingRun)>();
        TrainingRun? last = null;
        for (var i = 0; i < steps; i++)
        {
            await stream.StepAsync(Wave);
            if (stream.Trainer.LastRun is { } run && !ReferenceEquals(run, last))
            {
                last = run;
                runs.Add((run.Outcome, stream.Trainer.PointThreshold, run));
            }
        }

        return runs;
    }

    [Fact]
    public async Task Refused_challengers_double_the_threshold_up_to_every_points()
    {
        using var stream = new TrainingStream(Options(steps: 0), Series);
        Assert.Equal(100, stream.Trainer.PointThreshold);
        var runs = await Runs(stream, 400);

        var refused = runs.Where(r => r.Outcome == TrainingOutcomes.WorseThanChampion).Select(r => r.Threshold).ToArray();
        Assert.Equal([200, 400, 800, 1000, 1000], refused.Take(5));
        Assert.All(runs.Where(r => r.Outcome == TrainingOutcomes.NotEnoughData), r => Assert.Equal(100, r.Threshold));
    }

    [Fact]
    public async Task An_accepted_challenger_keeps_the_young_threshold_and_its_optimizer_state_goes_to_the_next_run()
    {
        using var stream = new TrainingStream(Options(steps: 60), Series);
        var runs = await Runs(stream, 120);

        var trained = runs.Where(r => r.Outcome != TrainingOutcomes.NotEnoughData).ToArray();
        Assert.True(trained.Length >= 2, $"{trained.Length} runs trained");
        Assert.Equal(TrainingOutcomes.Accepted, trained[0].Outcome);
        Assert.Equal(100, trained[0].Threshold);
        Assert.Equal(60, trained[0].Run.Result!.Fit!.Optimizer!.StepCount);
        Assert.Equal(120, trained[1].Run.Result!.Fit!.Optimizer!.StepCount);
    }
}
