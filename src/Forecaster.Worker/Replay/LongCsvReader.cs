using System.Globalization;

namespace Forecaster.Worker.Replay;

/// <summary>
/// Reads a long-format CSV, <c>series,timestamp,value</c> (a header line is skipped): timestamps in
/// epoch milliseconds or ISO-8601; the series may be a CSV-quoted id with commas inside
/// (<c>"cpu{host=""a"",az=""b""}"</c>), so a line is split at its last two commas.
/// </summary>
internal static class LongCsvReader
{
    /// <exception cref="FormatException">A line is not <c>series,timestamp,value</c>.</exception>
    public static IEnumerable<(string Series, long TimestampMs, double Value)> Read(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || (number == 1 && line.StartsWith("series,", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            yield return ParseLine(line, number);
        }
    }

    public static (string Series, long TimestampMs, double Value) ParseLine(string line, int number)
    {
        var last = line.LastIndexOf(',');
        var middle = last > 0 ? line.LastIndexOf(',', last - 1) : -1;
        if (middle <= 0)
        {
            throw new FormatException($"Line {number}: expected series,timestamp,value.");
        }

        var series = line[..middle].Trim();
        if (series.Length >= 2 && series[0] == '"' && series[^1] == '"')
        {
            series = series[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        var time = line.AsSpan(middle + 1, last - middle - 1).Trim();
        var timestamp = long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUnixTimeMilliseconds()
                : throw new FormatException($"Line {number}: timestamp '{time}' is neither epoch ms nor ISO-8601.");
        if (!double.TryParse(line.AsSpan(last + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"Line {number}: value '{line[(last + 1)..]}' is not a number.");
        }

        return (series, timestamp, value);
    }
}
