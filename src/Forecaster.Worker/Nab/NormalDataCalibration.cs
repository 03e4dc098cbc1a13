using System.Globalization;

namespace Forecaster.Worker.Nab;

/// <summary>
/// Chooses a default anomaly threshold without any anomaly labels: runs unlabelled series taken as normal
/// (the M4 Hourly training part, wide format, hourly steps) through the same shard code and reports, per
/// threshold, the rate of anomaly events per point scored after warm-up; the lowest threshold whose rate is
/// at most the target is the choice.
/// </summary>
internal static class NormalDataCalibration
{
    private static readonly DateTime Origin = new(2020, 1, 6, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Event rate per scored point at each threshold of <see cref="NabBenchmark.Grid"/>, and the number of series and points.</summary>
    public static (double[] Rates, int Series, long Points) Rates(string m4WidePath)
    {
        var detections = new List<NabDetection>();
        var line = 0;
        foreach (var text in File.ReadLines(m4WidePath))
        {
            line++;
            if (line == 1 || text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            var values = new List<double>(fields.Length);
            foreach (var field in fields.Skip(1))
            {
                var trimmed = field.Trim('"');
                if (trimmed.Length == 0)
                {
                    break;
                }

                values.Add(double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new FormatException($"{m4WidePath}:{line}: '{field}' is not a number."));
            }

            var timestamps = Enumerable.Range(0, values.Count).Select(i => Origin.AddHours(i)).ToArray();
            detections.Add(NabRunner.Run(new NabFile(fields[0].Trim('"'), timestamps, values.ToArray(), []), NabBenchmark.Grid[^1]));
        }

        long points = detections.Sum(d => Enumerable.Range(0, d.File.Rows).Count(i => d.Trace.Published[i] && !d.Trace.WarmingUp[i] && d.Trace.Directions[i] != 0));
        var rates = NabBenchmark.Grid.Select(t => detections.Sum(d => d.Events(t).Count(e => e)) / (double)Math.Max(1, points)).ToArray();
        return (rates, detections.Count, points);
    }
}
