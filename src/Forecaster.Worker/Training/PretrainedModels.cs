using System.Reflection;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;

namespace Forecaster.Worker.Training;

/// <summary>
/// The pretrained initial models shipped inside the worker (embedded resources <c>models/*.fcmodel</c>, made by
/// <c>forecaster pretrain</c>; how each was made is in src/Forecaster.Worker/Models/SOURCE.md). A shard takes the
/// one whose shape and quantile levels are its own; there is at most one per shape.
/// </summary>
internal static class PretrainedModels
{
    public const string ResourcePrefix = "models/";
    public const string Extension = ".fcmodel";

    private static readonly Lazy<IReadOnlyList<ForecastModel>> Shipped = new(() => Load(typeof(PretrainedModels).Assembly));

    /// <summary>Every shipped model, read and checked once.</summary>
    public static IReadOnlyList<ForecastModel> All => Shipped.Value;

    /// <summary>A copy of the shipped model that serves <paramref name="settings"/>, or null when none has its shape and quantile levels.</summary>
    public static ForecastModel? For(ForecastSettings settings)
    {
        var model = Find(All, settings);
        return model?.Clone(model.Version);
    }

    /// <summary>The model of <paramref name="models"/> with the shape and quantile levels of <paramref name="settings"/>, or null.</summary>
    public static ForecastModel? Find(IEnumerable<ForecastModel> models, ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var shape = ModelFactory.ShapeFor(settings);
        return models.FirstOrDefault(m => m.Shape == shape && m.QuantileLevels.AsSpan().SequenceEqual(settings.QuantileLevels));
    }

    /// <summary>The file name <c>forecaster pretrain</c> suggests for a model of <paramref name="shape"/>.</summary>
    public static string FileName(ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return $"lstm-i{shape.InputSize}-h{shape.HiddenSize}-k{shape.Horizons}-q{shape.Quantiles}{Extension}";
    }

    private static List<ForecastModel> Load(Assembly assembly)
    {
        var models = new List<ForecastModel>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            models.Add(ModelSerializer.Read(stream));
        }

        return models;
    }
}
