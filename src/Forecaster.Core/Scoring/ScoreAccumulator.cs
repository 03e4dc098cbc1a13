namespace Forecaster.Core.Scoring;

/// <summary>
/// Data-set-level scores of one method: the means over series of per-series sMAPE, MASE and
/// (when the method has a band) interval coverage, as M4 averages them.
/// </summary>
/// <remarks>
/// A series whose MASE scale is 0 (<see cref="ForecastMetrics.Mase"/> returns NaN) still counts
/// in the sMAPE and coverage means but is left out of the MASE mean; <see cref="UndefinedMaseCount"/>
/// says how many were left out, so a report can show it. M4 Hourly has no such series.
/// </remarks>
public sealed class ScoreAccumulator
{
    private double smapeSum;
    private double maseSum;
    private double coverageSum;

    /// <summary>Series added.</summary>
    public int Count { get; private set; }

    /// <summary>Series added with a band (<see cref="Add(ReadOnlySpan{double}, ReadOnlySpan{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>).</summary>
    public int CoverageCount { get; private set; }

    /// <summary>Series left out of the MASE mean because their scale was 0.</summary>
    public int UndefinedMaseCount { get; private set; }

    /// <summary>Mean sMAPE in percent; NaN before the first series.</summary>
    public double Smape => Count == 0 ? double.NaN : smapeSum / Count;

    /// <summary>Mean MASE over series with a defined MASE; NaN when there are none.</summary>
    public double Mase => Count == UndefinedMaseCount ? double.NaN : maseSum / (Count - UndefinedMaseCount);

    /// <summary>Mean interval coverage in [0, 1]; NaN when no series had a band.</summary>
    public double Coverage => CoverageCount == 0 ? double.NaN : coverageSum / CoverageCount;

    /// <summary>Scores one series' point forecast.</summary>
    /// <param name="actual">The H test values.</param>
    /// <param name="forecast">The H forecasts.</param>
    /// <param name="maseScale">The series' scale from <see cref="ForecastMetrics.MaseScale"/>.</param>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double maseScale)
    {
        double smape = ForecastMetrics.SymmetricMape(actual, forecast);
        double mase = ForecastMetrics.Mase(actual, forecast, maseScale);
        smapeSum += smape;
        if (double.IsNaN(mase))
        {
            UndefinedMaseCount++;
        }
        else
        {
            maseSum += mase;
        }

        Count++;
    }

    /// <summary>Scores one series' point forecast and its [lower, upper] band.</summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public void Add(
        ReadOnlySpan<double> actual,
        ReadOnlySpan<double> forecast,
        double maseScale,
        ReadOnlySpan<double> lower,
        ReadOnlySpan<double> upper)
    {
        double coverage = ForecastMetrics.Coverage(actual, lower, upper);
        Add(actual, forecast, maseScale);
        coverageSum += coverage;
        CoverageCount++;
    }

    /// <summary>Adds every series of <paramref name="other"/> (scores of other series by the same method), as if each had been added here.</summary>
    public void Add(ScoreAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        smapeSum += other.smapeSum;
        maseSum += other.maseSum;
        coverageSum += other.coverageSum;
        Count += other.Count;
        CoverageCount += other.CoverageCount;
        UndefinedMaseCount += other.UndefinedMaseCount;
    }

    /// <summary>OWA of these scores against Naive2's scores on the same series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A Naive2 score is not positive.</exception>
    public double Owa(ScoreAccumulator naive2)
    {
        ArgumentNullException.ThrowIfNull(naive2);
        return ForecastMetrics.Owa(Smape, Mase, naive2.Smape, naive2.Mase);
    }
}
