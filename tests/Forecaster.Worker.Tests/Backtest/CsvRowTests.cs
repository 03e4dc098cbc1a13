using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

public class CsvRowTests
{
    [Fact]
    public void Splits_quoted_unquoted_and_empty_cells()
    {
        Assert.Equal(["H1", "1.5", "", "x,y", "say \"hi\""], CsvRow.Split("\"H1\",1.5,,\"x,y\",\"say \"\"hi\"\"\""));
        Assert.Equal(["a", ""], CsvRow.Split("a,"));
        Assert.Equal([""], CsvRow.Split(""));
    }

    [Fact]
    public void Unclosed_quote_is_null()
    {
        Assert.Null(CsvRow.Split("\"H1,2"));
    }
}
