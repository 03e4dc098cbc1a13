namespace Forecaster.Core.Lstm;

/// <summary>
/// One version of a forecasting model: its shape, quantile levels and parameter slab
/// (layout in <see cref="ModelShape"/>). Once a model serves forecasts its parameters are not
/// changed; a retrain produces a new instance with a higher <see cref="Version"/>.
/// </summary>
public sealed class ForecastModel
{
    /// <exception cref="ArgumentException">The slab length or the number of quantile levels does not match the shape, or a level is outside (0, 1).</exception>
    public ForecastModel(ModelShape shape, float[] quantileLevels, float[] parameters, long version)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        if (quantileLevels.Length != shape.Quantiles)
        {
            throw new ArgumentException($"Expected {shape.Quantiles} quantile levels, got {quantileLevels.Length}.", nameof(quantileLevels));
        }

        foreach (var level in quantileLevels)
        {
            if (!(level > 0f && level < 1f))
            {
                throw new ArgumentException($"Quantile level {level} is outside (0, 1).", nameof(quantileLevels));
            }
        }

        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {shape.ParameterCount} parameters for {shape}, got {parameters.Length}.", nameof(parameters));
        }

        Shape = shape;
        QuantileLevels = quantileLevels;
        Parameters = parameters;
        Version = version;
    }

    public ModelShape Shape { get; }

    /// <summary>Q levels in (0, 1), ascending; head output q of every horizon estimates this level.</summary>
    public float[] QuantileLevels { get; }

    /// <summary>The parameter slab, <see cref="ModelShape.ParameterCount"/> long.</summary>
    public float[] Parameters { get; }

    /// <summary>Monotonic model version; 0 is a freshly initialised model.</summary>
    public long Version { get; }

    /// <summary>A deep copy with another version number (for training a challenger).</summary>
    public ForecastModel Clone(long version) =>
        new(Shape, (float[])QuantileLevels.Clone(), (float[])Parameters.Clone(), version);
}
