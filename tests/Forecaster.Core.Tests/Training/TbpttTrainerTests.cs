using Forecaster.Core.Lstm;
using Forecaster.Core.Training;
using Forecaster.Testing;

namespace Forecaster.Core.Tests.Training;

public class TbpttTrainerTests
{
    private static readonly ModelShape Shape = new(InputSize: 1, HiddenSize: 16, Horizons: 3, Quantiles: 3);
    private static readonly float[] Levels = [0.1f, 0.5f, 0.9f];
    private static readonly TrainerSettings Settings = new(LearningRate: 0.01f, ClipNorm: 1f, Window: 24, Batch: 16);

    [Fact]
    public void Loss_falls_substantially_on_a_noisy_sine()
    {
        var parameters = ModelInitializer.Create(Shape, Levels, seed: 1).Parameters;
        var trainer = new TbpttTrainer(Shape, Settings);
        var validation = new TrainingBatch(Shape, Settings.Window, Settings.Batch);
        NoisySine.Fill(validation, new Random(2));
        var before = trainer.Evaluate(parameters, Levels, validation);

        var batch = new TrainingBatch(Shape, Settings.Window, Settings.Batch);
        var random = new Random(3);
        for (var step = 0; step < 300; step++)
        {
            NoisySine.Fill(batch, random);
            Assert.True(trainer.Step(parameters, Levels, batch).Applied);
        }

        var after = trainer.Evaluate(parameters, Levels, validation);
        Assert.True(after < 0.3 * before, $"validation loss {before} → {after}");
    }

    [Fact]
    public void Same_seed_and_data_give_bit_identical_weights()
    {
        static float[] Train()
        {
            var parameters = ModelInitializer.Create(Shape, Levels, seed: 4).Parameters;
            var trainer = new TbpttTrainer(Shape, Settings);
            var batch = new TrainingBatch(Shape, Settings.Window, Settings.Batch);
            var random = new Random(5);
            for (var step = 0; step < 10; step++)
            {
                NoisySine.Fill(batch, random);
                trainer.Step(parameters, Levels, batch);
            }

            return parameters;
        }

        var first = Train();
        Assert.Equal(first, Train());
        Assert.NotEqual(ModelInitializer.Create(Shape, Levels, seed: 4).Parameters, first);
    }

    [Fact]
    public void NaN_input_refuses_the_step_and_leaves_parameters_and_optimizer_untouched()
    {
        var parameters = ModelInitializer.Create(Shape, Levels, seed: 6).Parameters;
        var original = (float[])parameters.Clone();
        var trainer = new TbpttTrainer(Shape, Settings);
        var batch = new TrainingBatch(Shape, Settings.Window, Settings.Batch);
        NoisySine.Fill(batch, new Random(7));
        batch.Inputs[100] = float.NaN;

        var result = trainer.Step(parameters, Levels, batch);

        Assert.False(result.Applied);
        Assert.False(double.IsFinite(result.Loss) && double.IsFinite(result.PreClipNorm));
        Assert.Equal(original, parameters);
        Assert.Equal(0, trainer.Optimizer.StepCount);
        Assert.All(trainer.Optimizer.FirstMoment, m => Assert.Equal(0f, m));
    }

    [Fact]
    public void A_batch_without_targets_is_refused_and_Evaluate_never_updates()
    {
        var parameters = ModelInitializer.Create(Shape, Levels, seed: 8).Parameters;
        var original = (float[])parameters.Clone();
        var trainer = new TbpttTrainer(Shape, Settings);
        var batch = new TrainingBatch(Shape, Settings.Window, Settings.Batch);
        Assert.False(trainer.Step(parameters, Levels, batch).Applied);
        NoisySine.Fill(batch, new Random(9));
        Assert.True(trainer.Evaluate(parameters, Levels, batch) > 0);
        Assert.Equal(original, parameters);
    }

    [Fact]
    public void Mismatched_batch_or_slab_is_refused()
    {
        var trainer = new TbpttTrainer(Shape, Settings);
        var parameters = new float[Shape.ParameterCount];
        Assert.Throws<ArgumentException>(() => trainer.Step(parameters, Levels, new TrainingBatch(Shape, 23, 16)));
        Assert.Throws<ArgumentException>(() => trainer.Step(parameters, Levels, new TrainingBatch(Shape with { HiddenSize = 8 }, 24, 16)));
        Assert.Throws<ArgumentException>(() => trainer.Step(new float[3], Levels, new TrainingBatch(Shape, 24, 16)));
        Assert.Throws<ArgumentException>(() => trainer.Evaluate(parameters, [0.5f], new TrainingBatch(Shape, 24, 16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TbpttTrainer(Shape, Settings with { LearningRate = float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TbpttTrainer(Shape, Settings with { ClipNorm = 0f }));
    }

    [Fact]
    public void A_warmed_up_step_allocates_nothing()
    {
        var shape = new ModelShape(InputSize: 8, HiddenSize: 64, Horizons: 12, Quantiles: 3);
        var settings = new TrainerSettings(0.001f, 1f, Window: 8, Batch: 7);
        var parameters = ModelInitializer.Create(shape, Levels, seed: 10).Parameters;
        var trainer = new TbpttTrainer(shape, settings);
        var batch = new TrainingBatch(shape, settings.Window, settings.Batch);
        Lstm.SeededData.Floats(11, batch.Inputs.Length).CopyTo(batch.Inputs, 0);
        Lstm.SeededData.Floats(12, batch.Targets.Length).CopyTo(batch.Targets, 0);
        Array.Fill(batch.TargetMask, 1f);
        trainer.Step(parameters, Levels, batch);
        trainer.Evaluate(parameters, Levels, batch);

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            trainer.Step(parameters, Levels, batch);
            trainer.Evaluate(parameters, Levels, batch);
        }));
    }
}
