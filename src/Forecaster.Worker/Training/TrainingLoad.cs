using Forecaster.Core.Forecasting;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Training;

/// <summary>
/// One retraining kept busy on a <see cref="TrainingScheduler"/> thread until disposed: the load the consume loop
/// shares the machine with while a shard trains (the <c>bench</c> command measures throughput under it).
/// Synthetic daily waves stand in for the shard's histories.
/// </summary>
internal sealed class TrainingLoad : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<TrainingRun> _run;

    public TrainingLoad(ForecastSettings settings, TrainingOptions options)
    {
        var histories = new float[options.MaxSeries][];
        var random = new Random(options.Seed);
        for (var s = 0; s < histories.Length; s++)
        {
            histories[s] = new float[settings.HistoryCapacity];
            for (var t = 0; t < settings.HistoryCapacity; t++)
            {
                histories[s][t] = (float)(50 + (20 * Math.Sin(2 * Math.PI * (t + s) / settings.Season)) + random.NextDouble());
            }
        }

        var fit = options.ToFitSettings() with { Steps = int.MaxValue };
        _run = new TrainingScheduler(1, TimeProvider.System).Start(
            ModelFactory.CreateInitial(settings), histories, settings, fit, TimeSpan.FromDays(1), null, 0f, null, _stop.Token);
    }

    /// <summary>Stops the run and waits for its thread to let go.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _run.Wait();
        _stop.Dispose();
    }
}
