using Forecaster.Core.Series;

namespace Forecaster.Core.Forecasting;

/// <summary>Turns head outputs (standardised residual quantiles) into forecast quantiles in original units.</summary>
internal static class QuantileDecoder
{
    /// <summary>
    /// Writes [K*Q] quantiles of <paramref name="series"/> into <paramref name="destination"/>: the smoothing
    /// forecast plus σ times the head output (or the baseline offsets while warming up), sorted per horizon so
    /// quantiles never cross, and transformed back. Before the first season is complete every quantile is the
    /// last value seen.
    /// </summary>
    public static void Decode(SeriesState series, ForecastSettings settings, bool useModel, ReadOnlySpan<float> outputs, Span<double> destination)
    {
        var quantiles = settings.QuantileLevels.Length;
        if (!series.Initialized)
        {
            destination.Fill(LastValue(series));
            return;
        }

        for (var k = 0; k < settings.Horizons; k++)
        {
            var baseValue = SeriesFeatures.BaseForecast(series, settings, k + 1);
            var row = destination.Slice(k * quantiles, quantiles);
            for (var q = 0; q < quantiles; q++)
            {
                var offset = useModel ? outputs[(k * quantiles) + q] : ModelFactory.BaselineOffset(settings.QuantileLevels[q], k + 1);
                row[q] = baseValue + (series.Noise * offset);
            }

            row.Sort();
            for (var q = 0; q < quantiles; q++)
            {
                row[q] = ValueTransform.Inverse(row[q], series.Scale);
            }
        }
    }

    private static double LastValue(SeriesState series)
    {
        for (var age = 0; age < series.History.Count; age++)
        {
            var value = series.History.Back(age);
            if (!float.IsNaN(value))
            {
                return value;
            }
        }

        return 0;
    }
}
