namespace Forecaster.Worker.Backtest;

/// <summary>
/// Reads the M4 wide format: a header row, then one row per series with its id in column 1 and
/// its values after it; training rows are padded at the end with empty cells to the header's
/// width. The training and test files are joined by id, in training-file order.
/// </summary>
internal static class M4WideReader
{
    /// <summary>
    /// Reads both parts. A row is skipped, with a problem naming its file and line, when its cell
    /// count differs from the header's, a cell is not a number, a value is missing inside the row,
    /// its id is empty or repeated, the other file has no row with its id, the test row has fewer
    /// than H values (only the first H are used), or the training part is shorter than
    /// <see cref="BacktestSettings.MinimumTrainLength"/>.
    /// </summary>
    public static BacktestInput Read(TextReader train, string trainName, TextReader test, string testName, BacktestSettings settings)
    {
        var problems = new List<InputProblem>();
        var trainRows = ReadRows(train, trainName, problems);
        var testRows = ReadRows(test, testName, problems);
        var testById = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var row in testRows)
        {
            if (!testById.TryAdd(row.Id, row))
            {
                problems.Add(new InputProblem(testName, row.Line, $"series {row.Id} appears again"));
            }
        }

        var series = new List<BacktestSeries>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in trainRows)
        {
            if (!seen.Add(row.Id))
            {
                problems.Add(new InputProblem(trainName, row.Line, $"series {row.Id} appears again"));
                continue;
            }

            if (!testById.Remove(row.Id, out var testRow))
            {
                problems.Add(new InputProblem(trainName, row.Line, $"series {row.Id} has no row in {testName}"));
            }
            else if (testRow.Values.Count < settings.Horizon)
            {
                problems.Add(new InputProblem(testName, testRow.Line, $"series {row.Id} has {testRow.Values.Count} test values, fewer than the horizon {settings.Horizon}"));
            }
            else if (row.Values.Count < settings.MinimumTrainLength)
            {
                problems.Add(new InputProblem(trainName, row.Line, $"series {row.Id} is too short: {row.Values.Count} training values, needs at least {settings.MinimumTrainLength} (2 seasons)"));
            }
            else
            {
                series.Add(new BacktestSeries(row.Id, [.. row.Values], [.. testRow.Values.Take(settings.Horizon)]));
            }
        }

        foreach (var orphan in testById.Values.Where(r => !seen.Contains(r.Id)))
        {
            problems.Add(new InputProblem(testName, orphan.Line, $"series {orphan.Id} has no row in {trainName}"));
        }

        return new BacktestInput(series, problems);
    }

    /// <summary>
    /// Reads a training file alone (for <c>forecaster pretrain</c>, which never sees a test part): the values of
    /// every row, in file order; rows are skipped with a problem as in <see cref="Read"/>.
    /// </summary>
    public static BacktestInput ReadTraining(TextReader train, string trainName, BacktestSettings settings)
    {
        var problems = new List<InputProblem>();
        var series = new List<BacktestSeries>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ReadRows(train, trainName, problems))
        {
            if (!seen.Add(row.Id))
            {
                problems.Add(new InputProblem(trainName, row.Line, $"series {row.Id} appears again"));
            }
            else if (row.Values.Count < settings.MinimumTrainLength)
            {
                problems.Add(new InputProblem(trainName, row.Line, $"series {row.Id} is too short: {row.Values.Count} training values, needs at least {settings.MinimumTrainLength} (2 seasons)"));
            }
            else
            {
                series.Add(new BacktestSeries(row.Id, [.. row.Values], []));
            }
        }

        return new BacktestInput(series, problems);
    }

    private static List<Row> ReadRows(TextReader reader, string name, List<InputProblem> problems)
    {
        var rows = new List<Row>();
        string? header = reader.ReadLine();
        var headerCells = header is null ? null : CsvRow.Split(header);
        if (headerCells is null || headerCells.Count < 2)
        {
            problems.Add(new InputProblem(name, 1, "no header row with an id column and value columns"));
            return rows;
        }

        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var row = ParseRow(line, lineNumber, headerCells.Count, out string? reason);
            if (row is null)
            {
                problems.Add(new InputProblem(name, lineNumber, reason!));
            }
            else
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static Row? ParseRow(string line, int lineNumber, int width, out string? reason)
    {
        var cells = CsvRow.Split(line);
        reason = null;
        if (cells is null)
        {
            reason = "a quoted cell is not closed";
            return null;
        }

        if (cells.Count != width)
        {
            reason = $"ragged row: {cells.Count} cells, the header has {width}";
            return null;
        }

        string id = cells[0].Trim();
        if (id.Length == 0)
        {
            reason = "empty series id";
            return null;
        }

        int end = cells.Count;
        while (end > 1 && cells[end - 1].Length == 0)
        {
            end--;
        }

        var values = new List<double>(end - 1);
        for (int c = 1; c < end; c++)
        {
            if (cells[c].Length == 0)
            {
                reason = $"series {id}: value missing in column {c + 1} before the end of the row";
                return null;
            }

            if (!CsvNumber.TryParse(cells[c], out double value))
            {
                reason = $"series {id}: column {c + 1} '{cells[c]}' is not a finite number";
                return null;
            }

            values.Add(value);
        }

        return new Row(id, lineNumber, values);
    }

    private sealed record Row(string Id, int Line, List<double> Values);
}
