using System.Globalization;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Prints the latency phase: percentiles over all points, then per half second of send time, so a tail that
/// comes at the start (warm-up), periodically (a timer) or at random can be told apart.
/// </summary>
internal static class LatencyReport
{
    public static void Print((double SentS, double Ms)[] samples, double rate, long expected, IReadOnlyList<(double AtS, int Generation, double PauseMs)> collections,
        IReadOnlyList<(double AtS, int Records, double Ms)> batches, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var all = samples.Select(s => s.Ms).Order().ToArray();
        output.WriteLine(string.Create(inv, $"  latency at {rate:F0} points/s ({all.Length} of {expected} forecasts read): p50 {Percentile(all, 0.5):F1} ms, p99 {Percentile(all, 0.99):F1} ms, max {all[^1]:F1} ms (append -> forecast readable)"));
        var afterFirst = samples.Where(s => s.SentS >= 1).Select(s => s.Ms).Order().ToArray();
        if (afterFirst.Length > 0)
        {
            output.WriteLine(string.Create(inv, $"    sent after the first second ({afterFirst.Length}): p50 {Percentile(afterFirst, 0.5):F1} ms, p99 {Percentile(afterFirst, 0.99):F1} ms, max {afterFirst[^1]:F1} ms"));
        }

        if (batches.Count > 0)
        {
            var times = batches.Select(b => b.Ms).Order().ToArray();
            var sizes = batches.Select(b => (double)b.Records).Order().ToArray();
            output.WriteLine(string.Create(inv, $"    worker's own share (first record of a batch consumed -> its forecasts handed to the producer), {batches.Count} batches: p50 {Percentile(times, 0.5):F1} ms, p99 {Percentile(times, 0.99):F1} ms, max {times[^1]:F1} ms; records per batch p50 {Percentile(sizes, 0.5):F0}, max {sizes[^1]:F0}"));
        }

        output.WriteLine("    by send time:   points    p50 ms    p99 ms    max ms  batch max ms  GCs ending in the window (generation: pause ms)");
        foreach (var window in samples.GroupBy(s => (int)(s.SentS * 2)).OrderBy(g => g.Key))
        {
            var sorted = window.Select(s => s.Ms).Order().ToArray();
            var gcs = string.Join(' ', collections.Where(c => (int)(c.AtS * 2) == window.Key).Select(c => string.Create(inv, $"{c.Generation}:{c.PauseMs:F0}")));
            var batch = batches.Where(b => (int)(b.AtS * 2) == window.Key).Select(b => b.Ms).DefaultIfEmpty(0).Max();
            output.WriteLine(string.Create(inv, $"    {window.Key / 2.0,5:F1}-{(window.Key + 1) / 2.0,4:F1} s {sorted.Length,9} {Percentile(sorted, 0.5),9:F1} {Percentile(sorted, 0.99),9:F1} {sorted[^1],9:F1} {batch,12:F1}  {gcs}"));
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
