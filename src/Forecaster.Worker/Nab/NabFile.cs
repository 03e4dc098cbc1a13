using System.Globalization;

namespace Forecaster.Worker.Nab;

/// <summary>One NAB data file (<c>timestamp,value</c>, naive timestamps read as UTC) with its label windows as row indices.</summary>
internal sealed record NabFile(string Path, DateTime[] Timestamps, double[] Values, NabWindow[] Windows)
{
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    public int Rows => Values.Length;

    /// <summary>Median of the positive spacings between rows, in whole seconds (at least 1).</summary>
    public long MedianSpacingSeconds()
    {
        var deltas = new List<double>(Rows);
        for (var i = 1; i < Rows; i++)
        {
            var delta = (Timestamps[i] - Timestamps[i - 1]).TotalSeconds;
            if (delta > 0)
            {
                deltas.Add(delta);
            }
        }

        deltas.Sort();
        return deltas.Count == 0 ? 1 : Math.Max(1, (long)Math.Round(deltas[deltas.Count / 2]));
    }

    /// <summary>Reads <paramref name="path"/>; <paramref name="windows"/> are the file's label windows as timestamps.</summary>
    /// <exception cref="FormatException">A row is not <c>timestamp,value</c>.</exception>
    public static NabFile Read(string path, string relativePath, IReadOnlyList<(DateTime Start, DateTime End)> windows)
    {
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (line == 1 || text.Length == 0)
            {
                continue;
            }

            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0
                || !DateTime.TryParseExact(text.AsSpan(0, comma), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)
                || !double.TryParse(text.AsSpan(comma + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"{path}:{line}: expected 'YYYY-MM-DD HH:MM:SS,value', got '{text}'.");
            }

            timestamps.Add(ts);
            values.Add(value);
        }

        var rows = timestamps.ToArray();
        return new NabFile(relativePath, rows, values.ToArray(), windows.Select(w => ToRows(rows, w.Start, w.End)).ToArray());
    }

    /// <summary>NAB's rule: the window starts at the row with its start timestamp and ends at the first row with its end timestamp (nearest rows inside when absent).</summary>
    private static NabWindow ToRows(DateTime[] rows, DateTime start, DateTime end)
    {
        var first = Array.IndexOf(rows, start);
        if (first < 0)
        {
            first = Array.FindIndex(rows, t => t >= start);
        }

        var last = Array.IndexOf(rows, end);
        if (last < 0)
        {
            last = Array.FindLastIndex(rows, t => t <= end);
        }

        if (first < 0 || last < first)
        {
            throw new FormatException($"A label window [{start:O}, {end:O}] has no rows in the file.");
        }

        return new NabWindow(first, last);
    }
}
