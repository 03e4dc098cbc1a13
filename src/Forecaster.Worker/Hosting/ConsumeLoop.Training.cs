using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Background retraining of the shards (see <see cref="ShardTrainer"/>): polled between batches on the
/// loop's thread, abandoned when a shard leaves (revoke, loss) and at shutdown.
/// </summary>
internal sealed partial class ConsumeLoop
{
    private readonly Dictionary<Shard, ShardTrainer> _trainers = [];
    private TrainingOptions _training = new() { Enabled = false };
    private TrainingScheduler? _trainingScheduler;

    private void InitTraining(TrainingOptions? options)
    {
        _training = options ?? _training;
        _trainingScheduler = new TrainingScheduler(_training.Threads, _time);
    }

    /// <summary>After each batch: applies finished runs, starts due ones, refreshes the accuracy gauges.</summary>
    private void PollTraining()
    {
        foreach (var ((topic, _), shard) in _shards)
        {
            if (CheckpointHolds(shard))
            {
                continue; // Its checkpoint is being written: no model swap under it.
            }

            if (!_trainers.TryGetValue(shard, out var trainer))
            {
                trainer = new ShardTrainer(shard, _training, _trainingScheduler!, _time, _metrics, topic, _logger);
                _trainers.Add(shard, trainer);
            }

            try
            {
                trainer.Poll();
            }
#pragma warning disable CA1031 // One shard's retraining (its numbers, its logging) must never stop the loop; the serving model is kept.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _metrics.LoopErrors.WithLabels("training").Inc();
                WorkerLog.TrainingFailed(_logger, topic, shard.Partition, e);
            }
        }
    }

    /// <summary>Abandons the runs of the shards no longer assigned (all of them at shutdown); never waits for a run.</summary>
    private void AbandonTraining(bool all = false)
    {
        foreach (var (shard, trainer) in _trainers)
        {
            if (all || !_shards.ContainsValue(shard))
            {
                trainer.Abandon();
                _trainers.Remove(shard);
            }
        }
    }
}
