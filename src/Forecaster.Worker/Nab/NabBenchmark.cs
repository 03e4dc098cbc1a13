using System.Globalization;
using System.Text;

namespace Forecaster.Worker.Nab;

/// <summary>
/// Scores the worker's detections on a NAB corpus: per profile, the threshold NAB would optimise (the best
/// total over the corpus on a grid of thresholds, each replayed through the worker's event logic) and the
/// worker's own default threshold, normalised so the null detector scores 0 and the perfect one 100.
/// </summary>
internal sealed class NabBenchmark
{
    /// <summary>Thresholds swept: 0.005 to 1 in steps of 0.005.</summary>
    public static readonly double[] Grid = Enumerable.Range(1, 200).Select(i => i * 0.005).ToArray();

    /// <summary>Published NAB v1.1 standard-profile scores on all 58 files (NAB's README leaderboard).</summary>
    public static readonly (string Detector, double Standard)[] Leaderboard =
    [
        ("Windowed Gaussian", 39.6), ("Twitter ADVec", 47.1), ("Random Cut Forest", 51.7), ("KNN CAD", 58.0), ("Numenta HTM", 70.5), ("ARTime", 74.9),
    ];

    private readonly IReadOnlyList<NabDetection> _detections;
    private readonly Dictionary<NabProfile, NabPlan[]> _plans;

    public NabBenchmark(IReadOnlyList<NabDetection> detections)
    {
        _detections = detections;
        _plans = NabProfile.All.ToDictionary(p => p, p => detections.Select(d => NabScorer.Plan(d.File.Rows, d.File.Windows, p)).ToArray());
    }

    /// <summary>The normalised score of the corpus under <paramref name="profile"/> at <paramref name="threshold"/>.</summary>
    public double Normalised(NabProfile profile, double threshold) => Normalise(profile, Raw(profile, threshold));

    public double Raw(NabProfile profile, double threshold)
    {
        var plans = _plans[profile];
        var total = 0.0;
        for (var f = 0; f < _detections.Count; f++)
        {
            total += plans[f].Score(_detections[f].Events(threshold));
        }

        return total;
    }

    public double Normalise(NabProfile profile, double raw)
    {
        var plans = _plans[profile];
        var nullScore = -profile.FnWeight * plans.Sum(p => p.CountedWindows);
        var perfect = profile.TpWeight * _detections.Sum(d => d.File.Windows.Length);
        return 100 * (raw - nullScore) / (perfect - nullScore);
    }

    /// <summary>The grid threshold with the best total (the lowest of equal ones) and its normalised score.</summary>
    public (double Threshold, double Score) Optimise(NabProfile profile)
    {
        var best = (Threshold: Grid[0], Raw: double.NegativeInfinity);
        foreach (var threshold in Grid)
        {
            var raw = Raw(profile, threshold);
            if (raw > best.Raw + 1e-12)
            {
                best = (threshold, raw);
            }
        }

        return (best.Threshold, Normalise(profile, best.Raw));
    }

    /// <summary>Events outside every window after the probationary part, per day of that stretch, per file at <paramref name="threshold"/>.</summary>
    public IEnumerable<(NabDetection Detection, int Events, double Days)> OutsideWindows(double threshold)
    {
        var plans = _plans[NabProfile.Standard];
        for (var f = 0; f < _detections.Count; f++)
        {
            var detection = _detections[f];
            var events = detection.Events(threshold);
            var count = 0;
            var rows = 0;
            for (var i = 0; i < events.Length; i++)
            {
                if (plans[f].WindowOf(i) == -1)
                {
                    rows++;
                    count += events[i] ? 1 : 0;
                }
            }

            yield return (detection, count, rows * detection.StepSeconds / 86_400.0);
        }
    }

    /// <summary>Per-file CSV: sizes, refused rows, events and the standard raw score at both thresholds.</summary>
    public void WriteCsv(string path, double defaultThreshold, double optimised)
    {
        var text = new StringBuilder("file,rows,windows,step_s,season,refused,events,events_outside,days_outside,events_per_day_outside,standard_raw_default,standard_raw_optimised\n");
        var plans = _plans[NabProfile.Standard];
        var f = 0;
        foreach (var (detection, outside, days) in OutsideWindows(defaultThreshold))
        {
            var events = detection.Events(defaultThreshold);
            text.Append(CultureInfo.InvariantCulture,
                $"{detection.File.Path},{detection.File.Rows},{detection.File.Windows.Length},{detection.StepSeconds},{detection.Season},{detection.Refused},{events.Count(e => e)},{outside},{days:F2},{(days > 0 ? outside / days : 0):F3},{plans[f].Score(events):F4},{plans[f].Score(detection.Events(optimised)):F4}\n");
            f++;
        }

        File.WriteAllText(path, text.ToString());
    }
}
