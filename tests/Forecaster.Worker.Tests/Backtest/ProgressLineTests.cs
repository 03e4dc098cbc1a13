using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

public class ProgressLineTests
{
    [Fact]
    public void Final_count_of_each_stage_is_written_and_each_stage_ends_its_line_once()
    {
        var writer = new StringWriter();
        var progress = new ProgressLine(writer);

        progress.Report("naive", 3, 3);
        progress.Report("Naive2", 2, 2);
        progress.Finish();
        progress.Finish();

        string nl = Environment.NewLine;
        Assert.Equal($"\rbacktest: naive 3/3   {nl}\rbacktest: Naive2 2/2   {nl}", writer.ToString());
    }
}
