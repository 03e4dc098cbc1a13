namespace Forecaster.Worker.Nab;

/// <summary>
/// NAB's scoring rules (v1.1, <c>nab/sweeper.py</c>): rows before the probationary length
/// (min(⌊0.15 n⌋, 750)) are not scored; a detection inside a window earns the scaled sigmoid of its position
/// relative to the window's right edge (−(right − i + 1)/width), divided by its value at the left edge and
/// times the true-positive weight, and only the best (first) detection of a window counts; a window with none
/// costs the false-negative weight; a detection outside every window costs the false-positive weight times
/// the scaled sigmoid of its distance past the previous window (|i − right|/(width − 1)), or the full weight
/// before the first window.
/// </summary>
internal static class NabScorer
{
    public const double ProbationaryPercent = 0.15;

    /// <summary>The scaled sigmoid 2/(1 + e^{5x}) − 1, and −1 from x = 3 on.</summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition >= 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * relativePosition))) - 1.0;

    public static int ProbationaryLength(int rows) => (int)Math.Min(Math.Floor(ProbationaryPercent * rows), ProbationaryPercent * 5000);

    /// <summary>The raw score of one file under <paramref name="profile"/> for rows flagged in <paramref name="detections"/>.</summary>
    public static double Score(int rows, IReadOnlyList<NabWindow> windows, ReadOnlySpan<bool> detections, NabProfile profile)
    {
        var plan = Plan(rows, windows, profile);
        return plan.Score(detections);
    }

    /// <summary>The per-row weights of one file under one profile, so many detectors (thresholds) score quickly.</summary>
    public static NabPlan Plan(int rows, IReadOnlyList<NabWindow> windows, NabProfile profile)
    {
        var maxTp = ScaledSigmoid(-1.0);
        var probation = ProbationaryLength(rows);
        var windowOf = new int[rows];
        var weight = new double[rows];
        var sorted = windows.OrderBy(w => w.First).ToArray();
        var next = 0;
        var current = -1;
        NabWindow? previous = null;
        var counted = new bool[sorted.Length];
        for (var i = 0; i < rows; i++)
        {
            if (current < 0 && next < sorted.Length && i == sorted[next].First)
            {
                current = next++;
            }

            if (current >= 0)
            {
                var window = sorted[current];
                weight[i] = ScaledSigmoid(-(window.Last - i + 1) / (double)window.Width) * profile.TpWeight / maxTp;
                windowOf[i] = current;
            }
            else
            {
                var position = previous is { } p ? Math.Abs(p.Last - i) / (double)(p.Width - 1) : 3.0;
                weight[i] = ScaledSigmoid(position) * profile.FpWeight;
                windowOf[i] = -1;
            }

            if (i < probation)
            {
                windowOf[i] = -2;
            }
            else if (current >= 0)
            {
                counted[current] = true;
            }

            if (current >= 0 && i == sorted[current].Last)
            {
                previous = sorted[current];
                current = -1;
            }
        }

        return new NabPlan(windowOf, weight, counted.Count(c => c), profile.FnWeight);
    }
}

/// <summary>Per-row weights and window membership of one file (−1 outside every window, −2 probationary).</summary>
internal sealed class NabPlan(int[] windowOf, double[] weight, int countedWindows, double fnWeight)
{
    /// <summary>Windows with at least one scored row: the null detector's score is −fnWeight times this.</summary>
    public int CountedWindows => countedWindows;

    public int Rows => windowOf.Length;

    /// <summary>−1 outside every window, −2 in the probationary part, else the window's index.</summary>
    public int WindowOf(int row) => windowOf[row];

    /// <summary>The raw score of the file for rows flagged in <paramref name="detections"/>.</summary>
    public double Score(ReadOnlySpan<bool> detections)
    {
        var bestByWindow = new Dictionary<int, double>();
        var fp = 0.0;
        for (var i = 0; i < windowOf.Length; i++)
        {
            var w = windowOf[i];
            if (w == -2)
            {
                continue;
            }

            if (w >= 0)
            {
                var best = bestByWindow.TryGetValue(w, out var b) ? b : -fnWeight;
                bestByWindow[w] = detections[i] ? Math.Max(best, weight[i]) : best;
            }
            else if (detections[i])
            {
                fp += weight[i];
            }
        }

        return fp + bestByWindow.Values.Sum();
    }
}
