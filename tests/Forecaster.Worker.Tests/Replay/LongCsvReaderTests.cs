using Forecaster.Worker.Replay;

namespace Forecaster.Worker.Tests.Replay;

public class LongCsvReaderTests
{
    [Fact]
    public void Reads_epoch_and_iso_timestamps_and_quoted_series_with_commas()
    {
        const string Csv = "series,timestamp,value\ncpu,1764100800000,1.5\n\"cpu{az=\"\"b\"\",host=\"\"a\"\"}\",2025-11-25T20:05:00Z,-2e3\n";

        var rows = LongCsvReader.Read(new StringReader(Csv)).ToList();

        Assert.Equal(2, rows.Count);
        Assert.Equal(("cpu", 1_764_100_800_000L, 1.5), rows[0]);
        Assert.Equal(("cpu{az=\"b\",host=\"a\"}", 1_764_101_100_000L, -2000.0), rows[1]);
    }

    [Theory]
    [InlineData("cpu,1")]
    [InlineData("cpu,yesterday,1")]
    [InlineData("cpu,1764100800000,lots")]
    public void Bad_lines_name_their_line(string line)
    {
        var error = Assert.Throws<FormatException>(() => LongCsvReader.Read(new StringReader("series,timestamp,value\n" + line)).ToList());
        Assert.StartsWith("Line 2", error.Message, StringComparison.Ordinal);
    }
}
