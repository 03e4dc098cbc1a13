namespace Forecaster.Worker.Processing;

/// <summary>
/// Turns the spacing of raw points into a series' step: deltas under <see cref="NearDuplicateMs"/> are double
/// sends, not spacing; a gap is an outlier that the median ignores; jitter is averaged out and the result
/// snapped to the nearest standard scrape interval when the deltas scatter, or kept to the whole second when they agree.
/// </summary>
internal static class StepEstimate
{
    /// <summary>Deltas below this are near-duplicates (a double send, clock noise), never a step.</summary>
    public const long NearDuplicateMs = 500;

    /// <summary>Deltas further than this fraction from the median are gaps or bursts, not the spacing.</summary>
    public const double InlierTolerance = 0.25;

    /// <summary>Deltas within this fraction of their mean are exact spacing, kept to the second.</summary>
    private const double ExactSpread = 0.02;

    /// <summary>A scattered mean snaps to a standard interval within this fraction.</summary>
    private const double SnapTolerance = 0.2;

    private static readonly long[] Standard =
    [
        1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
        1_200_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000,
    ];

    /// <summary>The steps a model step is rounded up to under a <c>Series:MinStep</c> floor (issue 11).</summary>
    private static readonly long[] ModelSteps = [60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 86_400_000];

    /// <summary>True when <paramref name="ms"/> is one of the standard model steps (1m, 5m, 10m, 15m, 30m, 1h, 1d).</summary>
    public static bool IsModelStep(long ms) => Array.IndexOf(ModelSteps, ms) >= 0;

    /// <summary>Every model step a series may get under a floor of <paramref name="minStepMs"/> (0: every standard interval a step is snapped to).</summary>
    public static IEnumerable<long> Candidates(long minStepMs) =>
        minStepMs > 0 ? ModelSteps.Where(s => s >= minStepMs).DefaultIfEmpty(minStepMs) : Standard;

    /// <summary>
    /// The model step of a series whose raw spacing is <paramref name="rawMs"/>: with a floor <paramref name="minStepMs"/> &gt; 0, the
    /// larger of the two rounded up to a standard model step (1m, 5m, 10m, 15m, 30m, 1h, 1d; a longer one is kept);
    /// without one, the raw step itself.
    /// </summary>
    public static long ModelStep(long rawMs, long minStepMs)
    {
        if (minStepMs <= 0)
        {
            return rawMs;
        }

        var wanted = Math.Max(rawMs, minStepMs);
        foreach (var step in ModelSteps)
        {
            if (step >= wanted)
            {
                return step;
            }
        }

        return wanted;
    }

    /// <summary>The step of timestamps sorted ascending and distinct, or 0 when fewer than two of them are more than a near-duplicate apart.</summary>
    public static long FromSorted(ReadOnlySpan<long> timestamps)
    {
        Span<long> deltas = stackalloc long[Math.Max(timestamps.Length - 1, 0)];
        var count = 0;
        for (var i = 1; i < timestamps.Length; i++)
        {
            var delta = timestamps[i] - timestamps[i - 1];
            if (delta >= NearDuplicateMs)
            {
                deltas[count++] = delta;
            }
        }

        if (count == 0)
        {
            return 0;
        }

        deltas = deltas[..count];
        deltas.Sort();
        var median = count % 2 == 1 ? deltas[count / 2] : (deltas[(count / 2) - 1] + deltas[count / 2]) / 2;
        long sum = 0, min = long.MaxValue, max = long.MinValue;
        var inliers = 0;
        foreach (var delta in deltas)
        {
            if (Agrees(delta, median))
            {
                sum += delta;
                min = Math.Min(min, delta);
                max = Math.Max(max, delta);
                inliers++;
            }
        }

        return Choose((double)sum / inliers, min, max);
    }

    /// <summary>True when <paramref name="delta"/> is within <see cref="InlierTolerance"/> of <paramref name="reference"/>.</summary>
    public static bool Agrees(long delta, long reference) => Math.Abs(delta - reference) <= reference * InlierTolerance;

    /// <summary>The step for deltas of mean <paramref name="mean"/> lying in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long Choose(double mean, long min, long max)
    {
        if (max - min > mean * 2 * ExactSpread)
        {
            var best = 0L;
            var bestDistance = SnapTolerance;
            foreach (var standard in Standard)
            {
                var distance = Math.Abs(mean - standard) / standard;
                if (distance <= bestDistance)
                {
                    (best, bestDistance) = (standard, distance);
                }
            }

            if (best > 0)
            {
                return best;
            }
        }

        return Math.Max(1, (long)Math.Round(mean / 1000, MidpointRounding.AwayFromZero)) * 1000;
    }
}
