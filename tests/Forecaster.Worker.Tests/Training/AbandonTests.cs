using Forecaster.Worker.Options;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Tests.Training;

/// <summary>
/// Revoke, loss and shutdown abandon a run: no exception, nothing swapped afterwards, and the shard is handed
/// over exactly as it was (same model, same series states: its next forecasts equal those of a twin that never trained).
/// </summary>
public class AbandonTests
{
    private static TrainingOptions Options(int steps) => new()
    {
        Enabled = false,
        Window = 48,
        Batch = 8,
        Steps = steps,
        LearningRate = 5e-3f,
        BurnIn = 8,
        MaxSeconds = 3600,
        MaxSeries = 8,
        Seed = 3,
    };

    private static double Wave(int s, long t) => (20 + (10 * s)) * (1 + (0.2 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * s)) / 30.0)));

    private static async Task AssertSameForecasts(TrainingStream stream, TrainingStream twin)
    {
        await stream.StepAsync(Wave);
        await twin.StepAsync(Wave);
        Assert.Equal(twin.Sink.Last.Keys, stream.Sink.Last.Keys);
        foreach (var (id, forecast) in twin.Sink.Last)
        {
            Assert.Equal(forecast.Quantiles, stream.Sink.Last[id].Quantiles);
            Assert.Equal(forecast.Status, stream.Sink.Last[id].Status);
        }
    }

    [Fact]
    public async Task A_running_training_is_cancelled_on_revoke_without_an_exception_and_the_shard_is_intact()
    {
        using var stream = new TrainingStream(Options(steps: 10_000_000), 8);
        using var twin = new TrainingStream(Options(steps: 10_000_000), 8);
        await stream.RunAsync(Wave, 200);
        await twin.RunAsync(Wave, 200);
        var model = stream.Shard.Forecaster.Model;

        Assert.True(stream.Trainer.Start());
        stream.Trainer.Abandon();
        var run = await stream.Trainer.Running!;

        Assert.Equal(TrainingOutcomes.Cancelled, run.Outcome);
        Assert.Null(run.Error);
        Assert.False(stream.Trainer.Poll());
        Assert.False(stream.Trainer.Start());
        Assert.Same(model, stream.Shard.Forecaster.Model);
        Assert.Equal(1, stream.Trainer.Count(TrainingOutcomes.Cancelled));
        await AssertSameForecasts(stream, twin);
    }

    [Fact]
    public async Task An_accepted_challenger_that_finishes_before_the_revoke_is_never_swapped_in_after_it()
    {
        using var stream = new TrainingStream(Options(steps: 120), 8);
        using var twin = new TrainingStream(Options(steps: 120), 8);
        await stream.RunAsync(Wave, 200);
        await twin.RunAsync(Wave, 200);

        Assert.True(stream.Trainer.Start());
        var run = await stream.Trainer.Running!;
        Assert.Equal(Core.Training.RetrainOutcome.Accepted, run.Result!.Outcome);
        stream.Trainer.Abandon();

        Assert.False(stream.Trainer.Poll());
        Assert.Equal(0, stream.Shard.Forecaster.ModelVersion);
        await AssertSameForecasts(stream, twin);
    }

    [Fact]
    public async Task A_queued_training_is_dropped_at_shutdown_while_another_holds_the_only_thread()
    {
        var scheduler = new TrainingScheduler(1, TimeProvider.System);
        using var busy = new TrainingStream(Options(steps: 10_000_000), 8, scheduler);
        using var queued = new TrainingStream(Options(steps: 10_000_000), 8, scheduler);
        await busy.RunAsync(Wave, 200);
        await queued.RunAsync(Wave, 200);

        Assert.True(busy.Trainer.Start());
        Assert.True(queued.Trainer.Start());
        queued.Trainer.Dispose();
        busy.Trainer.Dispose();
        var runs = await Task.WhenAll(busy.Trainer.Running!, queued.Trainer.Running!);

        Assert.All(runs, r => Assert.Equal(TrainingOutcomes.Cancelled, r.Outcome));
        Assert.Equal(0, busy.Shard.Forecaster.ModelVersion);
        Assert.Equal(0, queued.Shard.Forecaster.ModelVersion);
    }
}
