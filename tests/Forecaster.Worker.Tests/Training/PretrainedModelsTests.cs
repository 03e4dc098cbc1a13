using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Tests.Training;

/// <summary>The shipped initial models: readable, one per default shape, and found only for their own shape.</summary>
public class PretrainedModelsTests
{
    /// <summary>The worker's default Forecast section (config/appsettings.json matches these defaults).</summary>
    private static readonly ForecastSettings WorkerDefault = new ForecastOptions().ToSettings();

    /// <summary>The M4 Hourly backtest's shape (horizon 48, 64 units, shortest series 700).</summary>
    private static readonly ForecastSettings M4Backtest = LstmBacktest.SettingsFor(48, 24, 700, LstmBacktestSettings.Default);

    [Fact]
    public void Every_shipped_model_reads_and_the_two_default_shapes_each_have_one()
    {
        Assert.Equal(2, PretrainedModels.All.Count);
        Assert.All(PretrainedModels.All, m => Assert.Equal(1, m.Version));
        Assert.Equal(ModelFactory.ShapeFor(WorkerDefault), PretrainedModels.For(WorkerDefault)!.Shape);
        Assert.Equal(ModelFactory.ShapeFor(M4Backtest), PretrainedModels.For(M4Backtest)!.Shape);
    }

    [Fact]
    public void Another_shape_or_other_quantile_levels_find_no_model()
    {
        Assert.Null(PretrainedModels.For(WorkerDefault with { HiddenSize = 16 }));
        Assert.Null(PretrainedModels.For(WorkerDefault with { QuantileLevels = [0.05f, 0.5f, 0.95f] }));
    }

    [Fact]
    public void Each_call_hands_out_its_own_copy()
    {
        var first = PretrainedModels.For(WorkerDefault)!;
        first.Parameters[0] += 1f;
        Assert.NotEqual(first.Parameters[0], PretrainedModels.For(WorkerDefault)!.Parameters[0]);
    }

    [Fact]
    public void A_shipped_file_round_trips_through_the_serializer_unchanged()
    {
        var model = PretrainedModels.For(M4Backtest)!;
        using var stream = new MemoryStream();
        ModelSerializer.Write(model, stream);
        stream.Position = 0;
        Assert.Equal(model.Parameters, ModelSerializer.Read(stream).Parameters);
        Assert.Equal("lstm-i8-h64-k48-q3.fcmodel", PretrainedModels.FileName(model.Shape));
    }
}
