using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

public class M4WideReaderTests
{
    private static readonly BacktestSettings Settings = new(Horizon: 2, Season: 2, Seed: 1);

    private const string Header = "\"V1\",\"V2\",\"V3\",\"V4\",\"V5\",\"V6\"";

    [Fact]
    public void Reads_quoted_rows_with_end_padding_and_joins_by_id()
    {
        string train = Header + "\n\"A\",\"1\",\"2\",\"3\",\"4.5\",\"5\"\n\"B\",\"7\",\"8\",\"9\",\"10\",\n";
        string test = "\"V1\",\"V2\",\"V3\"\n\"B\",\"11\",\"12\"\n\"A\",\"6\",\"7\"\n";

        var input = Read(train, test);

        Assert.Empty(input.Problems);
        Assert.Equal(["A", "B"], input.Series.Select(s => s.Id));
        Assert.Equal([1, 2, 3, 4.5, 5], input.Series[0].Train);
        Assert.Equal([6, 7], input.Series[0].Test);
        Assert.Equal([7, 8, 9, 10], input.Series[1].Train);
        Assert.Equal([11, 12], input.Series[1].Test);
    }

    [Fact]
    public void Ragged_row_is_skipped_with_its_line_number()
    {
        string train = Header + "\n\"A\",\"1\",\"2\",\"3\",\"4\",\"5\"\n\"B\",\"1\",\"2\",\"3\"\n";
        string test = "\"V1\",\"V2\",\"V3\"\n\"A\",\"6\",\"7\"\n\"B\",\"6\",\"7\"\n";

        var input = Read(train, test);

        Assert.Equal(["A"], input.Series.Select(s => s.Id));
        var problem = Assert.Single(input.Problems, p => p.File == "train.csv");
        Assert.Equal(3, problem.Line);
        Assert.Contains("ragged", problem.Reason, StringComparison.Ordinal);
        var orphan = Assert.Single(input.Problems, p => p.File == "test.csv");
        Assert.Equal(3, orphan.Line);
    }

    [Fact]
    public void Bad_number_and_inner_gap_are_skipped_with_their_lines()
    {
        string train = Header + "\n\"A\",\"1\",\"x\",\"3\",\"4\",\"5\"\n\"B\",\"1\",,\"3\",\"4\",\"5\"\n\"C\",\"1\",\"2\",\"3\",\"4\",\"5\"\n";
        string test = "\"V1\",\"V2\",\"V3\"\n\"A\",\"6\",\"7\"\n\"B\",\"6\",\"7\"\n\"C\",\"6\",\"7\"\n";

        var input = Read(train, test);

        Assert.Equal(["C"], input.Series.Select(s => s.Id));
        var trainProblems = input.Problems.Where(p => p.File == "train.csv").OrderBy(p => p.Line).ToArray();
        Assert.Equal([2, 3], trainProblems.Select(p => p.Line));
        Assert.Contains("'x' is not a finite number", trainProblems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("missing", trainProblems[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_short_series_and_short_test_rows_are_skipped()
    {
        string train = Header + "\n\"A\",\"1\",\"2\",\"3\",,\n\"B\",\"1\",\"2\",\"3\",\"4\",\"5\"\n";
        string test = "\"V1\",\"V2\",\"V3\"\n\"A\",\"6\",\"7\"\n\"B\",\"6\",\n";

        var input = Read(train, test);

        Assert.Empty(input.Series);
        Assert.Contains(input.Problems, p => p.File == "train.csv" && p.Line == 2 && p.Reason.Contains("too short", StringComparison.Ordinal));
        Assert.Contains(input.Problems, p => p.File == "test.csv" && p.Line == 3 && p.Reason.Contains("fewer than the horizon", StringComparison.Ordinal));
    }

    private static BacktestInput Read(string train, string test) =>
        M4WideReader.Read(new StringReader(train), "train.csv", new StringReader(test), "test.csv", Settings);
}
