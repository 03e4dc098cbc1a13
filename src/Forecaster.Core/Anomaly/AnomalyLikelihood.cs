namespace Forecaster.Core.Anomaly;

/// <summary>
/// How unusual a series' recent behaviour is under its own predictive distribution, in the manner of
/// Numenta's anomaly likelihood (Ahmad et al. 2017): each observation's surprise under the forecast band it
/// was given, the absolute mean of the signed surprises of the last <see cref="AnomalyState.Window"/> steps as
/// the score (a persistent bias of the forecast; noise cancels), a running normal estimate of that score's
/// distribution, and the Gaussian upper tail of the current score, log-scaled so 0.5 means a tail of 1e-5
/// and 1 a tail of 1e-10 or less; plus, as Numenta's NAB detector does, a new extreme beyond the range seen so
/// far (once the range has seen <see cref="MinSamples"/> scores) scores 1. Allocation-free and O(window).
/// </summary>
public static class AnomalyLikelihood
{
    /// <summary>Surprises are clipped to ±6 normal scores, so one wild point cannot dominate a window.</summary>
    public const double SurpriseCap = 6;

    /// <summary>Scores the distribution estimate remembers: a plain mean up to this many, then exponential forgetting with weight 1/Memory.</summary>
    public const int Memory = 2048;

    /// <summary>Scores needed before any likelihood is given (0 until then).</summary>
    public const int MinSamples = 128;

    /// <summary>Smallest standard deviation of the score (in normal scores): a flat series stays finite.</summary>
    public const double SpreadFloor = 0.05;

    /// <summary>A value beyond the range seen so far by more than this share of the range is a new extreme.</summary>
    public const double RangeTolerance = 0.08;

    /// <summary>ln(1e10): the tail probability that maps to likelihood 1.</summary>
    private const double LogScale = 23.025850929940457;

    /// <summary>
    /// The signed surprise of <paramref name="value"/> in normal scores under a band with quantiles
    /// <paramref name="lower"/>, <paramref name="median"/>, <paramref name="upper"/> at the normal scores
    /// <paramref name="lowerScore"/> (negative) and <paramref name="upperScore"/> (positive): the quantile
    /// function is interpolated and extrapolated as a normal one on each side of the median, so the band's
    /// asymmetry is kept. A zero-width side (a flat series) gets a width of 1e-9 of the median's size, and
    /// the result is clipped to ±<see cref="SurpriseCap"/>; a non-finite input gives 0.
    /// </summary>
    public static double Surprise(double value, double lower, double median, double upper, double lowerScore, double upperScore)
    {
        if (!double.IsFinite(value) || !double.IsFinite(median) || !double.IsFinite(lower) || !double.IsFinite(upper))
        {
            return 0;
        }

        var above = value >= median;
        var width = above ? upper - median : median - lower;
        var floor = 1e-9 * Math.Max(1.0, Math.Abs(median));
        var z = (value - median) / Math.Max(width, floor) * (above ? upperScore : -lowerScore);
        return Math.Clamp(z, -SurpriseCap, SurpriseCap);
    }

    /// <summary>
    /// Takes one surprise and the observed <paramref name="value"/> and returns the likelihood in [0, 1]
    /// (0 until the window is full and <see cref="MinSamples"/> scores were seen); <paramref name="direction"/>
    /// is the sign of the window's summed surprise (1 above the forecast, −1 below), or of the new extreme.
    /// The score, |mean signed surprise| of the window, is measured against the distribution of the scores
    /// before it, then folded in. A value beyond the range seen so far by more than
    /// <see cref="RangeTolerance"/> of it is a new extreme and scores 1, as in Numenta's NAB detector.
    /// </summary>
    public static double Update(ref AnomalyState state, double surprise, double value, out int direction)
    {
        state.SetSurprise(state.Next, (float)surprise);
        state.Next = (byte)((state.Next + 1) % AnomalyState.Window);
        if (state.Filled < AnomalyState.Window)
        {
            state.Filled++;
        }

        var sum = 0.0;
        for (var i = 0; i < state.Filled; i++)
        {
            sum += state.At(i);
        }

        direction = sum >= 0 ? 1 : -1;
        if (state.Filled < AnomalyState.Window)
        {
            return 0;
        }

        var score = Math.Abs(sum) / AnomalyState.Window;
        var likelihood = 0.0;
        if (state.Samples >= MinSamples)
        {
            var spread = Math.Sqrt(Math.Max(state.Variance, SpreadFloor * SpreadFloor));
            likelihood = Math.Clamp(-NormalTail.LogUpper((score - state.Mean) / spread) / LogScale, 0, 1);
        }

        if (double.IsFinite(value))
        {
            if (state.Samples == 0)
            {
                state.Low = state.High = (float)value;
            }
            else
            {
                var tolerance = RangeTolerance * (state.High - state.Low);
                if (state.Samples >= MinSamples && state.High > state.Low && (value > state.High + tolerance || value < state.Low - tolerance))
                {
                    likelihood = 1;
                    direction = value > state.High ? 1 : -1;
                }

                state.Low = (float)Math.Min(state.Low, value);
                state.High = (float)Math.Max(state.High, value);
            }
        }

        var alpha = 1.0 / (Math.Min(state.Samples, Memory - 1) + 1);
        var delta = score - state.Mean;
        state.Mean = (float)(state.Mean + (alpha * delta));
        state.Variance = (float)((1 - alpha) * (state.Variance + (alpha * delta * delta)));
        if (state.Samples < int.MaxValue)
        {
            state.Samples++;
        }

        return likelihood;
    }
}
