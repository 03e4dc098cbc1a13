using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Training;

/// <summary>
/// Scores K-step quantile forecasts against held-out actuals: the pinball loss over every horizon and
/// quantile, divided by the series' in-sample seasonal-naive error (as MASE scales), averaged over series.
/// Series whose scale is zero (no seasonal variation) are left out.
/// </summary>
public static class ValidationScore
{
    /// <param name="forecasts">Per series, [K*Q] quantiles issued at the end of its training part.</param>
    /// <param name="training">Per series, the training part (for the scale).</param>
    /// <param name="actuals">Per series, the K held-out values.</param>
    /// <param name="levels">The Q quantile levels.</param>
    /// <param name="season">m of the scale.</param>
    /// <returns>The mean scaled pinball loss, or NaN when no series could be scored.</returns>
    public static double Of(IReadOnlyList<ReplayedForecast> forecasts, IReadOnlyList<float[]> training, IReadOnlyList<float[]> actuals, float[] levels, int season)
    {
        double total = 0;
        var scored = 0;
        for (var i = 0; i < forecasts.Count; i++)
        {
            var scale = Scale(training[i], season);
            if (!(scale > 0))
            {
                continue;
            }

            var quantiles = forecasts[i].Quantiles;
            double loss = 0;
            var terms = 0;
            var horizon = actuals[i].Length;
            for (var k = 0; k < horizon; k++)
            {
                if (float.IsNaN(actuals[i][k]))
                {
                    continue;
                }

                terms += levels.Length;
                for (var q = 0; q < levels.Length; q++)
                {
                    var error = actuals[i][k] - quantiles[(k * levels.Length) + q];
                    loss += Math.Max(levels[q] * error, (levels[q] - 1) * error);
                }
            }

            if (terms > 0)
            {
                total += loss / (terms * scale);
                scored++;
            }
        }

        return scored > 0 ? total / scored : double.NaN;
    }

    private static double Scale(float[] values, int season)
    {
        double sum = 0;
        var count = 0;
        for (var t = season; t < values.Length; t++)
        {
            if (!float.IsNaN(values[t]) && !float.IsNaN(values[t - season]))
            {
                sum += Math.Abs(values[t] - values[t - season]);
                count++;
            }
        }

        return count > 0 ? sum / count : 0;
    }
}
