namespace Forecaster.Core.Series;

/// <summary>
/// The per-series value transform w = asinh(y / s): logarithmic for |y| much larger than the scale s
/// (so multiplicative seasonality becomes additive and one model serves series of any magnitude), linear
/// near zero, and defined for zeros and negative values, which a plain logarithm is not.
/// </summary>
public static class ValueTransform
{
    /// <summary>Scale as a fraction of a series' typical magnitude: values near it are in the log-like regime.</summary>
    public const double ScaleFraction = 0.01;

    /// <summary>Chooses the scale s from the warm-up values (NaN ignored); 1 when they are all zero or missing.</summary>
    public static double ChooseScale(ReadOnlySpan<float> warmup)
    {
        double sum = 0;
        var count = 0;
        foreach (var value in warmup)
        {
            if (!float.IsNaN(value))
            {
                sum += Math.Abs(value);
                count++;
            }
        }

        var scale = count == 0 ? 0 : ScaleFraction * sum / count;
        return scale > 1e-12 ? scale : 1.0;
    }

    public static double Forward(double value, double scale) => Math.Asinh(value / scale);

    public static double Inverse(double transformed, double scale) => scale * Math.Sinh(transformed);
}
