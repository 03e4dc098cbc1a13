using Forecaster.Core.Lstm;
using Forecaster.Core.Series;

namespace Forecaster.Core.Forecasting;

/// <summary>Builds the model shape a <see cref="ForecastSettings"/> needs, and its seeded initial weights.</summary>
public static class ModelFactory
{
    /// <summary>Mean absolute deviation of a normal variable is σ·√(2/π); its inverse turns the noise scale into a standard deviation.</summary>
    public const double StandardDeviationPerNoiseScale = 1.2533;

    public static ModelShape ShapeFor(ForecastSettings settings) =>
        new(SeriesFeatures.Count, settings.HiddenSize, settings.Horizons, settings.QuantileLevels.Length);

    /// <summary>
    /// Seeded initial model (version 0) whose head bias starts at the normal quantiles of the noise scale,
    /// so an untrained model already issues a plausible band around the smoothing forecast.
    /// </summary>
    public static ForecastModel CreateInitial(ForecastSettings settings)
    {
        settings.Validate();
        var shape = ShapeFor(settings);
        var model = ModelInitializer.Create(shape, (float[])settings.QuantileLevels.Clone(), settings.Seed);
        var bias = model.Parameters.AsSpan(shape.HeadBiasOffset, shape.OutputSize);
        var offsets = BaselineOffsets(settings);
        for (var i = 0; i < offsets.Length; i++)
        {
            bias[i] = (float)offsets[i];
        }

        return model;
    }

    /// <summary>The baseline's [K*Q] offsets in noise scales (horizon-major), constants of the settings.</summary>
    public static double[] BaselineOffsets(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var levels = settings.QuantileLevels;
        var offsets = new double[settings.Horizons * levels.Length];
        for (var k = 0; k < settings.Horizons; k++)
        {
            for (var q = 0; q < levels.Length; q++)
            {
                offsets[(k * levels.Length) + q] = BaselineOffset(levels[q], k + 1);
            }
        }

        return offsets;
    }

    /// <summary>Offset of quantile level <paramref name="level"/> at <paramref name="horizon"/>, in noise scales, for the smoothing baseline.</summary>
    public static double BaselineOffset(float level, int horizon) =>
        StandardDeviationPerNoiseScale * NormalQuantile.Of(level) * Math.Sqrt(1 + (0.1 * (horizon - 1)));
}
