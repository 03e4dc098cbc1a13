using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

public class LongFormatReaderTests
{
    private static readonly BacktestSettings Settings = new(Horizon: 2, Season: 1, Seed: 1);

    [Fact]
    public void Reads_interleaved_series_with_iso_and_epoch_timestamps_and_holds_out_the_horizon()
    {
        string csv = """
            series,timestamp,value
            a,2024-01-01T00:00:00Z,1
            b,1704067200000,10
            a,2024-01-01 01:00:00,2
            b,1704070800000,20
            a,2024-01-01T02:00:00+00:00,3
            b,1704074400000,30
            a,2024-01-01T03:00:00Z,4
            b,1704078000000,40
            """;

        var input = LongFormatReader.Read(new StringReader(csv), "points.csv", Settings);

        Assert.Empty(input.Problems);
        Assert.Equal(["a", "b"], input.Series.Select(s => s.Id));
        Assert.Equal([1, 2], input.Series[0].Train);
        Assert.Equal([3, 4], input.Series[0].Test);
        Assert.Equal([10, 20], input.Series[1].Train);
        Assert.Equal([30, 40], input.Series[1].Test);
    }

    [Fact]
    public void Bad_rows_are_dropped_with_their_lines_and_the_series_goes_on()
    {
        string csv = """
            series,timestamp,value
            a,2024-01-01T00:00:00Z,1
            a,2024-01-01T01:00:00Z,abc
            a,yesterday,2
            a,2024-01-01T02:00:00Z,2,extra
            a,2024-01-01T02:00:00Z,3
            a,2024-01-01T01:30:00Z,3.5
            a,2024-01-01T03:00:00Z,4
            a,2024-01-01T04:00:00Z,5
            """;

        var input = LongFormatReader.Read(new StringReader(csv), "points.csv", Settings);

        Assert.Equal([3, 4, 5, 7], input.Problems.Select(p => p.Line));
        Assert.Contains("not a finite number", input.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("unreadable timestamp", input.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Contains("ragged", input.Problems[2].Reason, StringComparison.Ordinal);
        Assert.Contains("not after the previous", input.Problems[3].Reason, StringComparison.Ordinal);
        var series = Assert.Single(input.Series);
        Assert.Equal([1, 3], series.Train);
        Assert.Equal([4, 5], series.Test);
    }

    [Fact]
    public void Too_short_series_is_skipped_at_its_first_line()
    {
        string csv = "series,timestamp,value\nlong,1,1\nshort,1,1\nlong,2,2\nshort,2,2\nlong,3,3\nshort,3,3\nlong,4,4\n";

        var input = LongFormatReader.Read(new StringReader(csv), "points.csv", Settings);

        Assert.Equal(["long"], input.Series.Select(s => s.Id));
        var problem = Assert.Single(input.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("series short is too short: 3 points, needs at least 4", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_header_is_a_problem_at_line_one()
    {
        var input = LongFormatReader.Read(new StringReader("timestamp,value\n1,2\n"), "points.csv", Settings);

        Assert.Empty(input.Series);
        Assert.Equal(1, Assert.Single(input.Problems).Line);
    }
}
