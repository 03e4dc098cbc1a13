using Forecaster.Core.Forecasting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Training;

/// <summary>Training:StartFrom: a new shard serves the shipped model of its shape, random weights on request or when none fits, and keeps a trained model.</summary>
public class InitialModelTests
{
    private static readonly ForecastSettings WorkerDefault = new ForecastOptions().ToSettings();

    private static ShardTrainer Trainer(Shard shard, InitialModel startFrom) =>
        new(shard, new TrainingOptions { Enabled = false, StartFrom = startFrom }, new TrainingScheduler(1, new FakeTimeProvider()), new FakeTimeProvider(), new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry()), "metrics");

    private static Shard NewShard(ForecastSettings settings) => new(0, new SeriesOptions { StepSeconds = 60, MaxBatchSeries = 16 }, settings, new CountingSink());

    [Fact]
    public void A_new_shard_of_the_default_shape_starts_from_the_shipped_model()
    {
        var shard = NewShard(WorkerDefault);
        using var trainer = Trainer(shard, InitialModel.Pretrained);

        Assert.Equal("pretrained", trainer.StartedFrom);
        Assert.Equal(PretrainedModels.For(WorkerDefault)!.Parameters, shard.Forecaster.Model.Parameters);
        Assert.Equal(1, shard.Forecaster.ModelVersion);
    }

    [Fact]
    public void Scratch_keeps_the_seeded_random_weights()
    {
        var shard = NewShard(WorkerDefault);
        using var trainer = Trainer(shard, InitialModel.Scratch);

        Assert.Equal("scratch", trainer.StartedFrom);
        Assert.Equal(ModelFactory.CreateInitial(WorkerDefault).Parameters, shard.Forecaster.Model.Parameters);
        Assert.Equal(0, shard.Forecaster.ModelVersion);
    }

    [Fact]
    public void A_shape_with_no_shipped_model_falls_back_to_random_weights()
    {
        var settings = WorkerDefault with { HiddenSize = 16 };
        var shard = NewShard(settings);
        using var trainer = Trainer(shard, InitialModel.Pretrained);

        Assert.StartsWith("random", trainer.StartedFrom, StringComparison.Ordinal);
        Assert.Equal(ModelFactory.CreateInitial(settings).Parameters, shard.Forecaster.Model.Parameters);
    }

    [Fact]
    public void A_restored_trained_model_is_kept()
    {
        var shard = NewShard(WorkerDefault);
        var trained = ModelFactory.CreateInitial(WorkerDefault with { Seed = 5 }).Clone(7);
        shard.Restore(trained, []);
        using var trainer = Trainer(shard, InitialModel.Pretrained);

        Assert.Equal("restored", trainer.StartedFrom);
        Assert.Same(trained, shard.Forecaster.Model);
    }
}
