using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;

namespace Forecaster.Worker.Checkpoints;

/// <summary>Whether a saved model serves the current settings: the same shape and the same quantile levels.</summary>
internal static class ModelFit
{
    /// <summary>Null when <paramref name="model"/> fits <paramref name="settings"/>; otherwise what differs, for the log.</summary>
    public static string? Mismatch(ForecastModel model, ForecastSettings settings)
    {
        var shape = ModelFactory.ShapeFor(settings);
        if (model.Shape != shape)
        {
            return $"the saved model's shape {model.Shape} does not fit the settings' {shape}";
        }

        return model.QuantileLevels.AsSpan().SequenceEqual(settings.QuantileLevels)
            ? null
            : $"the saved model's quantile levels [{string.Join(", ", model.QuantileLevels)}] are not the settings' [{string.Join(", ", settings.QuantileLevels)}]";
    }
}
