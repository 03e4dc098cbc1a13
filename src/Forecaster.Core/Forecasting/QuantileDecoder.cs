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
    /// sorted per horizon so quantiles never cross, and transformed back. The set that serves
    /// (<paramref name="modelServes"/>) gets every horizon; the other only the first and the last, the rows
    /// the accuracy tracker scores (its other rows keep whatever they held). Before the first season is
    /// complete every baseline quantile is the last value seen.
    /// </summary>
    public static void Decode(
        SeriesState series, ForecastSettings settings, ReadOnlySpan<double> baselineOffsets, ReadOnlySpan<float> outputs, bool modelValid,
        bool modelServes, Span<double> baseline, Span<double> model)
    {
        var quantiles = settings.QuantileLevels.Length;
        if (!series.Initialized)
        {
            baseline.Fill(LastValue(series));
            return;
        }

        var last = settings.Horizons - 1;
        for (var k = 0; k <= last; k++)
        {
            var scored = k == 0 || k == last;
            var baseValue = SeriesFeatures.BaseForecast(series, settings, k + 1);
            if (scored || !modelServes)
            {
                var row = baseline.Slice(k * quantiles, quantiles);
                baselineOffsets.Slice(k * quantiles, quantiles).CopyTo(row);
                Finish(row, baseValue, series);
            }

            if (modelValid && (scored || modelServes))
            {
                var row = model.Slice(k * quantiles, quantiles);
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
        var ordered = true;
        for (var q = 0; q < row.Length; q++)
        {
            row[q] = baseValue + (series.Noise * row[q]);
            ordered &= q == 0 || row[q - 1] <= row[q];
        }

        if (!ordered)
        {
            SortSmall(row);
        }

        for (var q = 0; q < row.Length; q++)
        {
            row[q] = ValueTransform.Inverse(row[q], series.Scale);
        }
    }

    /// <summary>Insertion sort for the few quantiles of a row; NaNs go first, as <see cref="MemoryExtensions.Sort{T}(Span{T})"/> puts them.</summary>
    private static void SortSmall(Span<double> row)
    {
        if (row.Length > 16 || HasNaN(row))
        {
            row.Sort();
            return;
        }

        for (var i = 1; i < row.Length; i++)
        {
            var value = row[i];
            var j = i - 1;
            while (j >= 0 && row[j] > value)
            {
                row[j + 1] = row[j];
                j--;
            }

            row[j + 1] = value;
        }
    }

    private static bool HasNaN(ReadOnlySpan<double> row)
    {
        foreach (var value in row)
        {
            if (double.IsNaN(value))
            {
                return true;
            }
        }

        return false;
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
