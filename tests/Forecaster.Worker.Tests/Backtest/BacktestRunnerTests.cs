using Forecaster.Worker.Backtest;

namespace Forecaster.Worker.Tests.Backtest;

public class BacktestRunnerTests
{
    private static readonly BacktestSettings Settings = new(Horizon: 4, Season: 2, Seed: 1);

    private static readonly BacktestSeries[] Series =
    [
        new("a", [1, 3, 2, 4, 3, 5], [4, 6, 5, 7]),
        new("b", [10, 12, 10, 12, 10, 12], [10, 12, 10, 12]),
    ];

    [Fact]
    public void Scores_every_method_with_owa_against_naive2_and_coverage_only_with_a_band()
    {
        IBacktestMethod[] methods = [new FakeBandMethod(halfWidth: 1.5), .. BaselineMethod.All];

        var results = BacktestRunner.Run(Series, methods, Settings, ProgressLine.Silent, CancellationToken.None);

        Assert.Equal(["lstm", "naive", "snaive", "naive2"], results.Select(r => r.Method.Key));
        Assert.Equal(1.0, results[3].Owa, 12);
        Assert.True(double.IsNaN(results[1].Coverage));
        // Series a: forecast 3, 5, 3, 5 against 4, 6, 5, 7 → inside ±1.5 at steps 1 and 2; series b is exact.
        Assert.Equal((0.5 + 1.0) / 2, results[0].Coverage, 12);
        // Seasonal naive and the fake have the same points, so the same scores.
        Assert.Equal(results[2].Scores.Smape, results[0].Scores.Smape, 12);
    }

    [Fact]
    public void A_forecast_of_the_wrong_length_is_an_error()
    {
        IBacktestMethod[] methods = [new FakeBandMethod(halfWidth: 1, length: 3)];

        var e = Assert.Throws<InvalidOperationException>(() => BacktestRunner.Run(Series, methods, Settings, ProgressLine.Silent, CancellationToken.None));
        Assert.Contains("series a", e.Message, StringComparison.Ordinal);
    }
}
