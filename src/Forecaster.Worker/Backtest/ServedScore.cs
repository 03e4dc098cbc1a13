using System.Globalization;
using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// What a stream backtest served at every point, scored against the training values that followed it: the served
/// medians (the LSTM's, or the baseline's while in fallback) one step ahead and over every horizon, and one step ahead
/// the LSTM's and the baseline's own medians, whichever served. Each is a mean absolute error over the seasonal-naive
/// error of the same points and horizons (relative MAE: below 1 beats seasonal naive), its geometric mean over series; with the
/// LSTM's share of what was served and how often the serving model switched. The served band (outermost quantiles,
/// nominal coverage 1 − α) is scored over every horizon by its coverage and its interval score (Gneiting and Raftery
/// 2007; M4's MSIS): width + (2/α)·miss, over the seasonal-naive absolute error of the same points, a proper score
/// that neither a too narrow nor a too wide band can win. Forecasts made while warming up, and before the series is a
/// season old, are not scored.
/// </summary>
internal sealed class ServedScore(IReadOnlyList<ReadOnlyMemory<double>> training, int season, int horizons, int quantiles, int medianIndex, double alpha = 0.2)
{
    private readonly int[] _seen = new int[training.Count];
    private readonly SeriesStatus[] _last = new SeriesStatus[training.Count];
    private readonly Sums[] _sums = new Sums[training.Count];

    /// <summary>
    /// Takes the forecast just published for series <paramref name="series"/> after its next training value:
    /// the served quantiles [K*Q], and the one-step medians of the LSTM (NaN when it was not valid) and the baseline.
    /// </summary>
    public void Published(int series, SeriesStatus status, ReadOnlySpan<double> served, float modelMedian, float baselineMedian)
    {
        var origin = _seen[series]++;
        var last = _last[series];
        _last[series] = status;
        if (status == SeriesStatus.WarmingUp || origin + 1 < season)
        {
            return;
        }

        ref var sums = ref _sums[series];
        if (last != SeriesStatus.WarmingUp && last != status)
        {
            sums.Switches++;
        }

        var values = training[series].Span;
        for (var h = 1; h <= horizons && origin + h < values.Length; h++)
        {
            var actual = values[origin + h];
            var naive = values[origin + h - (season * (((h - 1) / season) + 1))];
            var error = Math.Abs(actual - served[((h - 1) * quantiles) + medianIndex]);
            if (!double.IsFinite(actual) || !double.IsFinite(naive) || !double.IsFinite(error))
            {
                continue;
            }

            var naiveError = Math.Abs(actual - naive);
            sums.AllNaive += naiveError;
            sums.AllServed += error;
            var (lower, upper) = (served[(h - 1) * quantiles], served[(h * quantiles) - 1]);
            sums.Banded++;
            sums.Inside += actual >= lower && actual <= upper ? 1 : 0;
            sums.Interval += upper - lower + ((2 / alpha) * (Math.Max(lower - actual, 0) + Math.Max(actual - upper, 0)));
            if (h == 1 && !float.IsNaN(modelMedian))
            {
                sums.Points++;
                sums.Naive += naiveError;
                sums.Served += error;
                sums.Model += Math.Abs(actual - modelMedian);
                sums.Baseline += Math.Abs(actual - baselineMedian);
                sums.ByLstm += status == SeriesStatus.Ok ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// Geometric means over the scored series of the relative MAE of the served forecast one step ahead and over all horizons,
    /// and of the LSTM's and the baseline's one step ahead; the LSTM's share of the scored points, and switches per 1,000.
    /// </summary>
    public ServedSummary Summary()
    {
        var scored = _sums.Where(s => s.Points > 0 && s.Naive > 0 && s.AllNaive > 0).ToList();
        if (scored.Count == 0)
        {
            return new ServedSummary(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var points = scored.Sum(s => (double)s.Points);
        return new ServedSummary(
            Geometric(scored.Select(s => s.Served / s.Naive)),
            Geometric(scored.Select(s => s.AllServed / s.AllNaive)),
            Geometric(scored.Select(s => s.Model / s.Naive)),
            Geometric(scored.Select(s => s.Baseline / s.Naive)),
            scored.Sum(s => (double)s.ByLstm) / points,
            1000 * scored.Sum(s => (double)s.Switches) / points,
            scored.Count)
        {
            Coverage = scored.Sum(s => (double)s.Inside) / scored.Sum(s => (double)s.Banded),
            IntervalScore = Geometric(scored.Select(s => s.Interval / s.AllNaive)),
        };
    }

    /// <summary>The geometric mean: a ratio and its inverse weigh the same, and one series far from seasonal naive cannot dominate.</summary>
    private static double Geometric(IEnumerable<double> ratios) => Math.Exp(ratios.Average(r => Math.Log(Math.Max(r, 1e-12))));

    /// <summary>One line for the backtest's log, of <paramref name="s"/> (<see cref="Summary"/>).</summary>
    public string Line(ServedSummary s)
    {
        return string.Create(
            CultureInfo.InvariantCulture,
            $"lstm stream: served at every point, relative MAE to seasonal naive over {s.Series} series: served {s.OneStep:F4} one step ahead, {s.AllHorizons:F4} over {horizons} horizons; one step ahead LSTM {s.Lstm:F4}, baseline {s.Baseline:F4}; LSTM served {s.LstmShare:P1}, {s.SwitchesPerThousand:F2} switches per 1,000 points; band over {horizons} horizons: coverage {s.Coverage:F3} (nominal {1 - alpha:F2}), interval score {s.IntervalScore:F4} of the naive error");
    }

    private struct Sums
    {
        public long Points;
        public double Naive;
        public double Served;
        public double Model;
        public double Baseline;
        public double AllNaive;
        public double AllServed;
        public long ByLstm;
        public long Switches;
        public long Banded;
        public long Inside;
        public double Interval;
    }
}
