using Forecaster.Core.Series;

namespace Forecaster.Core.Forecasting;

/// <summary>Turns head outputs (standardised residual quantiles) into forecast quantiles in original units.</summary>
internal static class QuantileDecoder
{
    /// <summary>
    /// Writes the [K*Q] quantiles of <paramref name="series"/> of the smoothing baseline into
    /// <paramref name="baseline"/> and, when <paramref name="modelValid"/>, of the model into
    /// <paramref name="model"/>, in one pass over the horizons: the smoothing forecast plus σ times the
    /// offset (the precomputed <paramref name="baselineOffsets"/>, or the head's <paramref name="outputs"/>),
    /// sorted per horizon so quantiles never cross, and transformed back. Before the first season is complete
    /// every quantile is the last value seen.
    /// </summary>
    public static void Decode(
        SeriesState series, ForecastSettings settings, ReadOnlySpan<double> baselineOffsets, ReadOnlySpan<float> outputs, bool modelValid,
        Span<double> baseline, Span<double> model)
    {
        var quantiles = settings.QuantileLevels.Length;
        if (!series.Initialized)
        {
            baseline.Fill(LastValue(series));
            return;
        }

        for (var k = 0; k < settings.Horizons; k++)
        {
            var baseValue = SeriesFeatures.BaseForecast(series, settings, k + 1);
            var row = baseline.Slice(k * quantiles, quantiles);
            baselineOffsets.Slice(k * quantiles, quantiles).CopyTo(row);
            Finish(row, baseValue, series);
            if (modelValid)
            {
                row = model.Slice(k * quantiles, quantiles);
                var head = outputs.Slice(k * quantiles, quantiles);
                for (var q = 0; q < quantiles; q++)
                {
                    row[q] = head[q];
                }

                Finish(row, baseValue, series);
            }
        }
    }

    /// <summary>Turns offsets (in noise scales) into sorted quantiles in original units, in place.</summary>
    private static void Finish(Span<double> row, double baseValue, SeriesState series)
    {
        for (var q = 0; q < row.Length; q++)
        {
            row[q] = baseValue + (series.Noise * row[q]);
        }

        row.Sort();
        for (var q = 0; q < row.Length; q++)
        {
            row[q] = ValueTransform.Inverse(row[q], series.Scale);
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
