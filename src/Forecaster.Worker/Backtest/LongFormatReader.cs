using System.Globalization;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// Reads the long format: header <c>series,timestamp,value</c>, one point per row; a series'
/// rows may be interleaved with other series' and must have increasing timestamps (ISO-8601,
/// UTC when no offset is given, or integer epoch milliseconds). The last H points of each series
/// are its test part, the rest its training part.
/// </summary>
internal static class LongFormatReader
{
    /// <summary>
    /// Reads every series. A bad row (wrong cell count, a value that is not a finite number, an
    /// unreadable timestamp, or one not after the series' previous timestamp) is dropped with a
    /// problem and the series goes on without it; a series with fewer than
    /// <see cref="BacktestSettings.MinimumTrainLength"/> + H good points is skipped with a problem
    /// at its first line. Series keep the order of their first row.
    /// </summary>
    public static BacktestInput Read(TextReader reader, string name, BacktestSettings settings)
    {
        var points = ReadPoints(reader, name);
        var problems = new List<InputProblem>(points.Problems);
        var series = new List<BacktestSeries>();
        foreach (var one in points.Series)
        {
            if (Split(one.Id, one.Values, settings, name, one.FirstLine, problems) is { } split)
            {
                series.Add(split);
            }
        }

        return new BacktestInput(series, problems);
    }

    /// <summary>Every series' good points with their timestamps, in the order of their first row, and the rows dropped.</summary>
    public static (IReadOnlyList<LongFormatSeries> Series, IReadOnlyList<InputProblem> Problems) ReadPoints(TextReader reader, string name)
    {
        var problems = new List<InputProblem>();
        var builders = new Dictionary<string, SeriesBuilder>(StringComparer.Ordinal);
        var order = new List<SeriesBuilder>();
        string? header = reader.ReadLine();
        var headerCells = header is null ? null : CsvRow.Split(header);
        if (headerCells is null || !IsHeader(headerCells))
        {
            problems.Add(new InputProblem(name, 1, "expected the header series,timestamp,value"));
            return ([], problems);
        }

        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string? reason = ReadPoint(line, out string id, out long timestamp, out double value);
            if (reason is null)
            {
                if (!builders.TryGetValue(id, out var builder))
                {
                    builder = new SeriesBuilder(id, lineNumber);
                    builders.Add(id, builder);
                    order.Add(builder);
                }

                reason = builder.TryAdd(timestamp, value);
            }

            if (reason is not null)
            {
                problems.Add(new InputProblem(name, lineNumber, reason));
            }
        }

        return (order.Select(b => new LongFormatSeries(b.Id, b.FirstLine, [.. b.Timestamps], [.. b.Values])).ToArray(), problems);
    }

    /// <summary>The last H values of a series as its test part, the rest its training part; null (with a problem) when it is too short.</summary>
    public static BacktestSeries? Split(string id, IReadOnlyList<double> values, BacktestSettings settings, string name, int firstLine, List<InputProblem> problems)
    {
        int needed = settings.MinimumTrainLength + settings.Horizon;
        if (values.Count < needed)
        {
            problems.Add(new InputProblem(name, firstLine, $"series {id} is too short: {values.Count} points, needs at least {needed} (2 seasons + horizon)"));
            return null;
        }

        int split = values.Count - settings.Horizon;
        return new BacktestSeries(id, [.. values.Take(split)], [.. values.Skip(split)]);
    }

    private static bool IsHeader(List<string> cells) =>
        cells.Count == 3
        && cells[0].Trim().Equals("series", StringComparison.OrdinalIgnoreCase)
        && cells[1].Trim().Equals("timestamp", StringComparison.OrdinalIgnoreCase)
        && cells[2].Trim().Equals("value", StringComparison.OrdinalIgnoreCase);

    /// <returns>Null when the row is good, else why not.</returns>
    private static string? ReadPoint(string line, out string id, out long timestamp, out double value)
    {
        id = string.Empty;
        timestamp = 0;
        value = 0;
        var cells = CsvRow.Split(line);
        if (cells is null || cells.Count != 3)
        {
            return cells is null ? "a quoted cell is not closed" : $"ragged row: {cells.Count} cells, expected 3";
        }

        id = cells[0].Trim();
        if (id.Length == 0)
        {
            return "empty series id";
        }

        if (!TryParseTimestamp(cells[1].Trim(), out timestamp))
        {
            return $"series {id}: unreadable timestamp '{cells[1]}'";
        }

        return CsvNumber.TryParse(cells[2], out value) ? null : $"series {id}: value '{cells[2]}' is not a finite number";
    }

    /// <summary>Integer epoch milliseconds, or an ISO-8601 date and time (UTC unless it has an offset).</summary>
    private static bool TryParseTimestamp(string cell, out long epochMilliseconds)
    {
        if (long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out epochMilliseconds))
        {
            return true;
        }

        if (cell.Length >= 10 && char.IsAsciiDigit(cell[0])
            && DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            epochMilliseconds = time.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    private sealed class SeriesBuilder(string id, int firstLine)
    {
        private long lastTimestamp = long.MinValue;

        public string Id { get; } = id;

        public int FirstLine { get; } = firstLine;

        public List<double> Values { get; } = [];

        public List<long> Timestamps { get; } = [];

        public string? TryAdd(long timestamp, double value)
        {
            if (Values.Count > 0 && timestamp <= lastTimestamp)
            {
                return $"series {Id}: timestamp not after the previous one (rows must be in time order)";
            }

            lastTimestamp = timestamp;
            Timestamps.Add(timestamp);
            Values.Add(value);
            return null;
        }
    }
}
