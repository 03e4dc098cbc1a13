using System.CommandLine;
using System.Text.Json;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Commands;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary>What the profile accuracy tests share: a backtest run with a small LSTM, its summary read back, and the 2 % comparison.</summary>
internal static class ProfileRuns
{
    /// <summary>Runs <c>backtest</c> with <paramref name="args"/> (no plots) and a small LSTM beside every baseline; its standard output.</summary>
    public static string Run(params string[] args)
    {
        var lstm = LstmBacktestSettings.Default with { Hidden = 8, Fit = LstmBacktestSettings.Default.Fit with { Steps = 20, Batch = 16 } };
        IBacktestMethod[] methods = [new LstmMethod(lstm), .. BaselineMethod.All];
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = new RootCommand { BacktestCommand.Create(methods) }.Parse(["backtest", .. args, "--plots", "0"])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(exitCode is BacktestRun.Success or BacktestRun.SomethingSkipped, error.ToString());
        return output.ToString();
    }

    public static JsonElement Scores(params string[] path) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(path))).RootElement.Clone();

    /// <summary>
    /// The profile group's summary has <paramref name="series"/> series at <paramref name="horizon"/>, and every method's sMAPE and
    /// MASE is within 2 % of the dedicated run's (with <paramref name="positive"/>, also finite and above 0).
    /// </summary>
    public static void AssertWithin2Percent(JsonElement dedicated, JsonElement grouped, int series, int horizon, bool positive = false)
    {
        Assert.Equal(series, grouped.GetProperty("series").GetInt32());
        Assert.Equal(horizon, grouped.GetProperty("horizon").GetInt32());
        foreach (var method in new[] { "lstm", "naive", "snaive", "naive2" })
        {
            foreach (var score in new[] { "smape", "mase" })
            {
                var expected = dedicated.GetProperty("methods").GetProperty(method).GetProperty(score).GetDouble();
                var actual = grouped.GetProperty("methods").GetProperty(method).GetProperty(score).GetDouble();
                Assert.True(!positive || (double.IsFinite(actual) && actual > 0), $"{method} {score}: {actual}");
                Assert.True(Math.Abs(actual - expected) <= 0.02 * Math.Abs(expected), $"{method} {score}: {actual} by profile, {expected} dedicated");
            }
        }
    }
}
