using Forecaster.Core.Forecasting;
using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary>The served score of a stream backtest: what was served, scored against the values that followed, over seasonal naive.</summary>
public class ServedScoreTests
{
    private const int Season = 4;
    private const int Horizons = 2;
    private const int Quantiles = 3;

    /// <summary>A 12-value series: served medians are the value plus an error that depends on the status.</summary>
    private static readonly double[] Values = [1, 5, 2, 8, 3, 6, 2, 9, 4, 7, 1, 8];

    private static double[] Served(double median1, double median2) => [median1 - 1, median1, median1 + 1, median2 - 1, median2, median2 + 1];

    [Fact]
    public void Scores_every_forecast_after_the_warm_up_against_the_following_values_over_seasonal_naive()
    {
        var score = new ServedScore([Values], Season, Horizons, Quantiles, medianIndex: 1);
        SeriesStatus[] statuses = [.. Enumerable.Repeat(SeriesStatus.WarmingUp, 5), SeriesStatus.Ok, SeriesStatus.Ok, SeriesStatus.Fallback, SeriesStatus.Fallback, SeriesStatus.Ok, SeriesStatus.Ok, SeriesStatus.Ok];
        double naive1 = 0, served1 = 0, model1 = 0, baseline1 = 0, naiveAll = 0, servedAll = 0, interval = 0;
        int byLstm = 0, banded = 0, inside = 0;
        for (var origin = 0; origin < Values.Length; origin++)
        {
            var status = statuses[origin];
            var next = origin + 1 < Values.Length ? Values[origin + 1] : double.NaN;
            var after = origin + 2 < Values.Length ? Values[origin + 2] : double.NaN;
            var served = status == SeriesStatus.Ok ? 0.5 : 2.0; // the error of the served median
            var model = (float)(next + 0.5);
            var baseline = (float)(next - 2);
            score.Published(0, status, Served(next + served, after - served), status == SeriesStatus.WarmingUp ? float.NaN : model, baseline);
            if (status == SeriesStatus.WarmingUp || origin + 1 >= Values.Length)
            {
                continue; // origins 0-4 warm up (and so are not a season old either); the last has nothing to score
            }

            naive1 += Math.Abs(next - Values[origin + 1 - Season]);
            served1 += served;
            model1 += 0.5;
            baseline1 += 2;
            byLstm += status == SeriesStatus.Ok ? 1 : 0;
            naiveAll += Math.Abs(next - Values[origin + 1 - Season]);
            servedAll += served;
            var horizons = origin + 2 < Values.Length ? 2 : 1;
            if (horizons == 2)
            {
                naiveAll += Math.Abs(after - Values[origin + 2 - Season]);
                servedAll += served;
            }

            // The band is the median ± 1: it holds the value when the served error is 0.5, and misses it by 1 when it is 2.
            banded += horizons;
            inside += served < 1 ? horizons : 0;
            interval += horizons * (2 + (served < 1 ? 0 : 2 / 0.2 * 1));
        }

        var summary = score.Summary();
        Assert.Equal(1, summary.Series);
        Assert.Equal(served1 / naive1, summary.OneStep, 12);
        Assert.Equal(servedAll / naiveAll, summary.AllHorizons, 12);
        Assert.Equal(model1 / naive1, summary.Lstm, 12);
        Assert.Equal((double)inside / banded, summary.Coverage, 12);
        Assert.Equal(interval / naiveAll, summary.IntervalScore, 12);
        Assert.True(inside > 0 && inside < banded);
        Assert.Equal(baseline1 / naive1, summary.Baseline, 12);
        Assert.Equal(byLstm / 6.0, summary.LstmShare, 12); // origins 5-10 are scored one step ahead, 4 of them by the LSTM
        Assert.Equal(1000 * 2 / 6.0, summary.SwitchesPerThousand, 9); // Ok → Fallback at 7, Fallback → Ok at 9; leaving the warm-up is no switch
    }

    [Fact]
    public void Nothing_scored_is_no_figure_and_the_mean_over_series_is_geometric()
    {
        Assert.True(double.IsNaN(new ServedScore([Values], Season, Horizons, Quantiles, 1).Summary().OneStep));

        var flat = new double[12];
        var score = new ServedScore([Values, Values, flat], Season, 1, Quantiles, medianIndex: 1);
        for (var origin = 0; origin + 1 < Values.Length; origin++)
        {
            var next = Values[origin + 1];
            var naive = origin + 1 >= Season ? Math.Abs(next - Values[origin + 1 - Season]) : 0;
            score.Published(0, SeriesStatus.Ok, [0, next + (2 * naive), 0], 0, 0); // twice seasonal naive's error
            score.Published(1, SeriesStatus.Ok, [0, next + (naive / 8), 0], 0, 0); // an eighth of it
            score.Published(2, SeriesStatus.Ok, [0, 1, 0], 0, 0); // a flat series: seasonal naive is exact, no ratio
        }

        var summary = score.Summary();
        Assert.Equal(2, summary.Series);
        Assert.Equal(0.5, summary.OneStep, 12); // sqrt(2 × 1/8): the arithmetic mean would say 1.06
    }
}
