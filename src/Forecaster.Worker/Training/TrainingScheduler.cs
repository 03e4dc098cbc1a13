using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Worker.Training;

/// <summary>
/// Runs the retrainings of every shard of a worker in the background, at most <c>Training:Threads</c> at once
/// (a concurrency-limited scheduler over the thread pool; the consume loop has its own thread). A queued run
/// waits for a free slot; its time budget starts when it starts. Every run completes with a
/// <see cref="TrainingRun"/>: cancellation and failures are outcomes, not exceptions.
/// </summary>
internal sealed class TrainingScheduler
{
    private readonly TaskScheduler _scheduler;
    private readonly TimeProvider _time;

    public TrainingScheduler(int threads, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads).ConcurrentScheduler;
        _time = time;
    }

    /// <summary>
    /// Queues <see cref="Retrainer.Run"/> on copies the caller made; <paramref name="abandon"/> drops it (queued
    /// or running), <paramref name="budget"/> bounds its running time; <paramref name="optimizer"/> is the Adam state to continue from, <paramref name="championShare"/> the champion's share of the challenger's weights, <paramref name="axes"/> where each history sits in time.
    /// </summary>
    public Task<TrainingRun> Start(ForecastModel champion, float[][] histories, ForecastSettings settings, FitSettings fit, TimeSpan budget, OptimizerState? optimizer, float championShare, HistoryAxis[]? axes, CancellationToken abandon) =>
        Task.Factory.StartNew(
            () => Run(champion, histories, settings, fit, budget, optimizer, championShare, axes, abandon),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _scheduler);

    private TrainingRun Run(ForecastModel champion, float[][] histories, ForecastSettings settings, FitSettings fit, TimeSpan budget, OptimizerState? optimizer, float championShare, HistoryAxis[]? axes, CancellationToken abandon)
    {
        if (abandon.IsCancellationRequested)
        {
            return new TrainingRun(null, TrainingOutcomes.Cancelled, TimeSpan.Zero);
        }

        var started = _time.GetTimestamp();
        try
        {
            using var timer = new CancellationTokenSource(budget, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, abandon);
            var result = Retrainer.Run(champion, histories, settings, fit, optimizer, championShare, axes, linked.Token);
            var outcome = result.Outcome == RetrainOutcome.Cancelled && !abandon.IsCancellationRequested
                ? TrainingOutcomes.TimedOut
                : TrainingOutcomes.Of(result.Outcome);
            return new TrainingRun(result, outcome, _time.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // A failed background run must become an outcome on the consume thread, never an unobserved task exception.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new TrainingRun(null, TrainingOutcomes.Failed, _time.GetElapsedTime(started), e);
        }
    }
}
