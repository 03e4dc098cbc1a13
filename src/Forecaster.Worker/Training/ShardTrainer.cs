using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Core.Training;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecaster.Worker.Training;

/// <summary>
/// The retraining of one model group of a shard (<see cref="ModelGroup"/>: group 0, or the series of another shape). <see cref="Poll"/>, called by the consume thread between batches, applies a
/// finished run (an accepted challenger is swapped in and every series re-warmed under it, on this thread),
/// starts the next run when it is due (every <c>Training:Interval</c> or <c>Training:EveryPoints</c> new
/// steps), and refreshes the shard's accuracy gauges. A run works on copies taken at its start: the current
/// model and the histories of up to <c>Training:MaxSeries</c> of the group's series sampled with the seed, so no point that
/// arrives later is trained on. <see cref="Abandon"/> (revoke, loss, shutdown) cancels a run without waiting
/// for it; its result is never applied.
/// </summary>
internal sealed class ShardTrainer : IDisposable
{
    private static readonly TimeSpan SummaryPeriod = TimeSpan.FromSeconds(15);

    private readonly Shard _shard;
    private readonly ModelGroup _group;
    private readonly TrainingOptions _options;
    private readonly TrainingScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly ShardTrainingMetrics _metrics;
    private readonly string _topic;
    private readonly ILogger _logger;
    private readonly Dictionary<string, long> _outcomes = TrainingOutcomes.All.ToDictionary(o => o, _ => 0L);
    private CancellationTokenSource? _abandon;
    private DateTimeOffset _lastStart;
    private DateTimeOffset _nextSummary;
    private long _stepsAtLastStart;
    private long _threshold;
    private OptimizerState? _optimizer;
    private long _runsStarted;
    private bool _abandoned;

    /// <summary>The trainer of <paramref name="shard"/>'s group 0 (a shard whose series all have its own shape).</summary>
    public ShardTrainer(Shard shard, TrainingOptions options, TrainingScheduler scheduler, TimeProvider time, ForecasterMetrics metrics, string topic, ILogger? logger = null)
        : this(shard, shard.Groups.Base, options, scheduler, time, metrics, topic, logger)
    {
    }

    /// <summary>The trainer of model group <paramref name="group"/> of <paramref name="shard"/>: its model, its series' histories, its step count.</summary>
    public ShardTrainer(Shard shard, ModelGroup group, TrainingOptions options, TrainingScheduler scheduler, TimeProvider time, ForecasterMetrics metrics, string topic, ILogger? logger = null)
    {
        _topic = topic;
        _logger = logger ?? NullLogger.Instance;
        _shard = shard;
        _group = group;
        _options = options;
        _scheduler = scheduler;
        _time = time;
        _metrics = new ShardTrainingMetrics(metrics, topic, shard.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture), group.Label, group.Index == 0);
        _lastStart = _nextSummary = time.GetUtcNow();
        _threshold = options.FirstPoints > 0 && (options.EveryPoints == 0 || options.FirstPoints < options.EveryPoints) ? options.FirstPoints : options.EveryPoints;
        StartedFrom = StartModel();
    }

    /// <summary>The group's shape name (<see cref="ModelGroup.Label"/>).</summary>
    public string Shape => _group.Label;

    /// <summary>What the shard's model started from: "pretrained", "scratch", "random (no pretrained model of this shape)" or "restored".</summary>
    public string StartedFrom { get; }

    /// <summary>The run in flight, or abandoned (it always completes, never faults); null when none.</summary>
    public Task<TrainingRun>? Running { get; private set; }

    /// <summary>The last run applied by <see cref="Poll"/>.</summary>
    public TrainingRun? LastRun { get; private set; }

    /// <summary>Runs ended with <paramref name="outcome"/> (a <see cref="TrainingOutcomes"/> label).</summary>
    public long Count(string outcome) => _outcomes[outcome];

    /// <summary>
    /// New points that make the next run due: <c>Training:FirstPoints</c> for a new model, kept after an accepted
    /// challenger, doubled after a refused one, up to <c>Training:EveryPoints</c> (0 when only the clock triggers).
    /// </summary>
    public long PointThreshold => _threshold;

    /// <summary>A run should start now: training is on, none is in flight, and the interval or the point threshold has passed.</summary>
    public bool IsDue =>
        _options.Enabled && !_abandoned && Running is null && HasSeries &&
        (_group.TrainFirst ||
         (_options.Interval > 0 && _time.GetUtcNow() - _lastStart >= TimeSpan.FromSeconds(_options.Interval)) ||
         (_threshold > 0 && _group.StepsTaken - _stepsAtLastStart >= _threshold));

    /// <summary>
    /// False for group 0 while other groups hold the shard's series and it has stepped none (with seasons in time and a learned
    /// step every series is in a group of its shape): an empty group would only log "not enough data" every interval.
    /// </summary>
    private bool HasSeries => _group.Index != 0 || _group.StepsTaken > 0 || _shard.Groups.All.Count == 1;

    /// <summary>Consume thread, between batches: applies a finished run, starts a due one, refreshes the gauges. True when a model was swapped in.</summary>
    public bool Poll()
    {
        if (_abandoned)
        {
            return false;
        }

        if (!_metrics.Shown && _group.StepsTaken > 0)
        {
            _metrics.Show(_group.Forecaster.ModelVersion);
        }

        var swapped = Running is { IsCompleted: true } && Apply();
        if (IsDue)
        {
            Start();
        }

        var now = _time.GetUtcNow();
        if (_group.Index == 0 && now >= _nextSummary)
        {
            _nextSummary = now + SummaryPeriod;
            _metrics.Summarize(ShardAccuracy.Of(_shard));
        }

        return swapped;
    }

    /// <summary>Starts a run now on copies of the model and of the sampled histories (consume thread). False when one is in flight or the shard was abandoned.</summary>
    public bool Start()
    {
        if (_abandoned || Running is not null)
        {
            return false;
        }

        _lastStart = _time.GetUtcNow();
        _stepsAtLastStart = _group.StepsTaken;
        _group.TrainFirst = false;
        var run = _runsStarted++;
        var settings = _group.Settings;
        var champion = _group.Forecaster.Model;
        var histories = TrainingSample.Take(_shard.SeriesOf(_group), settings, _options.MaxSeries, unchecked(_options.Seed + (int)run), out var axes);
        _abandon = new CancellationTokenSource();
        Running = _scheduler.Start(
            champion.Clone(champion.Version), histories, settings, _options.ToFitSettings(run), TimeSpan.FromSeconds(_options.MaxSeconds),
            _options.KeepOptimizer ? _optimizer : null, _options.ChampionShare, axes, _abandon.Token);
        return true;
    }

    /// <summary>Revoke, loss or shutdown: cancels the run in flight without waiting; nothing is applied afterwards.</summary>
    public void Abandon()
    {
        if (_abandoned)
        {
            return;
        }

        _abandoned = true;
        if (Running is not null)
        {
            var abandon = _abandon!;
            abandon.Cancel();
            Running.ContinueWith(_ => abandon.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _abandon = null;
            Count(TrainingOutcomes.Cancelled, null);
        }

        _metrics.Remove();
    }

    /// <summary>The same as <see cref="Abandon"/>.</summary>
    public void Dispose() => Abandon();

    private bool Apply()
    {
        var run = Running!.Result;
        Running = null;
        _abandon!.Dispose();
        _abandon = null;
        LastRun = run;
        Count(run.Outcome, run);
        Reschedule(run);
        if (run.Outcome != TrainingOutcomes.Accepted || run.Result?.Challenger is not { } challenger)
        {
            Log(run);
            return false;
        }

        Install(challenger);
        _optimizer = run.Result.Fit?.Optimizer;
        _metrics.Version(challenger.Version);

        Log(run);
        return true;
    }

    /// <summary>The gate decides the pace: a refused challenger doubles the point threshold (up to EveryPoints); an accepted one keeps it.</summary>
    private void Reschedule(TrainingRun run)
    {
        var refused = run.Result?.Outcome is RetrainOutcome.WorseThanChampion or RetrainOutcome.WorseThanBaseline or RetrainOutcome.NonFinite;
        if (refused && _threshold > 0 && (_options.EveryPoints == 0 || _threshold < _options.EveryPoints))
        {
            var doubled = _threshold > long.MaxValue / 2 ? long.MaxValue : _threshold * 2;
            _threshold = _options.EveryPoints > 0 ? Math.Min(doubled, _options.EveryPoints) : doubled;
        }
    }

    /// <summary>
    /// A shard still serving the seeded random model (version 0: new, or restored from a checkpoint of one) takes the
    /// shipped pretrained model of its shape when <c>Training:StartFrom</c> is Pretrained; a trained model is kept.
    /// </summary>
    private string StartModel()
    {
        var forecaster = _group.Forecaster;
        if (forecaster.ModelVersion != 0)
        {
            return "restored";
        }

        if (_options.StartFrom == InitialModel.Scratch)
        {
            return "scratch";
        }

        var settings = forecaster.Settings;
        if (PretrainedModels.For(settings) is not { } pretrained)
        {
            TrainingLog.NoPretrained(_logger, _topic, _shard.Partition, ModelFactory.ShapeFor(settings).ToString(), string.Join(", ", settings.QuantileLevels), settings.Seed);
            return "random (no pretrained model of this shape)";
        }

        Install(pretrained);
        TrainingLog.StartsPretrained(_logger, _topic, _shard.Partition, pretrained.Shape.ToString(), pretrained.Version);
        return "pretrained";
    }

    /// <summary>
    /// Swaps <paramref name="model"/> in and re-warms every series' LSTM state under it (consume thread). Every
    /// series is then dirty, so the next checkpoint, even an incremental one, writes the new model with new-model
    /// states only, and a restore from it needs no re-warm of its own.
    /// </summary>
    private void Install(ForecastModel model)
    {
        if (_group.Forecaster.PendingCount > 0)
        {
            _shard.Flush();
        }

        _group.Forecaster.SwapModel(model);
        var series = _shard.SeriesOf(_group).Where(s => s.State.Fits(_group.Settings)).ToList();
        if (series.Count > 0)
        {
            StateRewarm.Run(model, _group.Settings, [.. series.Select(s => s.State)], _options.RewarmSteps, Math.Min(series.Count, 1024));
        }

        foreach (var entry in series)
        {
            entry.Dirty = true;
        }
    }

    private void Log(TrainingRun run)
    {
        using var scope = PartitionScope.Begin(_logger, _topic, _shard.Partition);
        if (run.Error is not null)
        {
            WorkerLog.TrainingFailed(_logger, _topic, _shard.Partition, run.Error);
        }
        else if (run.Result is { } result)
        {
            WorkerLog.TrainingEnded(
                _logger, _topic, _shard.Partition, Shape, run.Outcome, run.Duration.TotalSeconds,
                LogNumber.Finite(result.ChallengerScore), LogNumber.Finite(result.ChampionScore), LogNumber.Finite(result.BaselineScore),
                result.SeriesUsed, _group.Forecaster.ModelVersion);
        }
    }

    private void Count(string outcome, TrainingRun? run)
    {
        _outcomes[outcome]++;
        _metrics.Runs(outcome).Inc();
        if (run?.Result?.Fit is { } fit)
        {
            _metrics.Duration.Observe(run.Duration.TotalSeconds);
            _metrics.Fit(_group.Forecaster.ModelVersion, fit.LastLoss, fit.LastPreClipNorm);
        }
    }
}
