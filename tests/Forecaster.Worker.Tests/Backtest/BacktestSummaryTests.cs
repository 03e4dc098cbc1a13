using System.Text.Json;
using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

public class BacktestSummaryTests
{
    [Fact]
    public void Summary_has_the_documented_shape_with_null_coverage_for_methods_without_a_band()
    {
        var settings = new BacktestSettings(Horizon: 4, Season: 2, Seed: 1);
        BacktestSeries[] series = [new("a", [1, 3, 2, 4, 3, 5], [4, 6, 5, 7])];
        IBacktestMethod[] methods = [new FakeBandMethod(halfWidth: 1.5), .. BaselineMethod.All];
        var results = BacktestRunner.Run(series, methods, settings, ProgressLine.Silent, CancellationToken.None);
        var stream = new MemoryStream();

        BacktestSummary.Write(stream, series.Length, settings.Horizon, 12.25, results);

        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;
        Assert.Equal(["series", "horizon", "seconds", "methods"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("series").GetInt32());
        Assert.Equal(4, root.GetProperty("horizon").GetInt32());
        Assert.Equal(12.25, root.GetProperty("seconds").GetDouble());
        var methodsJson = root.GetProperty("methods");
        Assert.Equal(["lstm", "naive", "snaive", "naive2"], methodsJson.EnumerateObject().Select(p => p.Name));
        foreach (var method in methodsJson.EnumerateObject())
        {
            Assert.Equal(["smape", "mase", "owa", "coverage"], method.Value.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal(0.5, methodsJson.GetProperty("lstm").GetProperty("coverage").GetDouble());
        Assert.Equal(JsonValueKind.Null, methodsJson.GetProperty("snaive").GetProperty("coverage").ValueKind);
        Assert.Equal(1.0, methodsJson.GetProperty("naive2").GetProperty("owa").GetDouble(), 12);
        Assert.Equal(results[0].Scores.Smape, methodsJson.GetProperty("lstm").GetProperty("smape").GetDouble());
    }
}
