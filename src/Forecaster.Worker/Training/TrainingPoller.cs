using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Training;

/// <summary>
/// The retraining punctuator: after each batch, on the loop's thread, polls the
/// <see cref="ShardTrainer"/> of every model group of every active shard (made on the first poll after its group), which applies finished runs, starts due ones and
/// refreshes the accuracy gauges. A frozen shard (its checkpoint being written) is skipped: no model swap
/// under it. Runs of dropped shards are abandoned by the <see cref="ShardManager"/>.
/// </summary>
internal sealed class TrainingPoller(LoopServices loop, TrainingOptions training) : IPunctuator
{
    private readonly TrainingScheduler _scheduler = new(training.Threads, loop.Time);

    public void Punctuate()
    {
        foreach (var owned in loop.Shards.All)
        {
            if (owned.Phase != ShardPhase.Active)
            {
                continue;
            }

            var groups = owned.Shard.Groups.All;
            try
            {
                for (var g = owned.Trainers.Count; g < groups.Count; g++)
                {
                    owned.Trainers.Add(new ShardTrainer(owned.Shard, groups[g], training, _scheduler, loop.Time, loop.Metrics, owned.Topic, loop.Logger));
                }

                foreach (var trainer in owned.Trainers)
                {
                    trainer.Poll();
                }
            }
#pragma warning disable CA1031 // One shard's retraining (its numbers, its logging) must never stop the loop; the serving model is kept.
            catch (Exception e)
#pragma warning restore CA1031
            {
                loop.Metrics.LoopErrors.WithLabels("training").Inc();
                WorkerLog.TrainingFailed(loop.Logger, owned.Topic, owned.Partition, e);
            }
        }
    }
}
