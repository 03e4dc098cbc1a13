using System.CommandLine;
using System.Text.Json;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Commands;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary>The whole command on the real M4 Hourly files reproduces the published baseline scores.</summary>
public sealed class M4HourlyBacktestTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("backtest-m4-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Backtest_of_the_m4_hourly_files_matches_the_published_scores()
    {
        string data = Path.Combine(DataDirectory(), "m4-hourly");
        string[] args =
        [
            "backtest", "--train", Path.Combine(data, "train.csv"), "--test", Path.Combine(data, "test.csv"),
            "--horizon", "48", "--season", "24", "--out", folder.FullName, "--plots", "0",
        ];
        var error = new StringWriter();

        int exitCode = new RootCommand { BacktestCommand.Create(BaselineMethod.All) }.Parse(args)
            .Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.Equal(BacktestRun.Success, exitCode);
        Assert.DoesNotContain("skipped", error.ToString(), StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder.FullName, "summary.json")));
        Assert.Equal(414, summary.RootElement.GetProperty("series").GetInt32());
        var methods = summary.RootElement.GetProperty("methods");
        AssertScores(methods.GetProperty("naive"), 43.003, 11.608);
        AssertScores(methods.GetProperty("snaive"), 13.912, 1.193);
        AssertScores(methods.GetProperty("naive2"), 18.383, 2.395);
    }

    private static void AssertScores(JsonElement method, double smape, double mase)
    {
        Assert.Equal(smape, Math.Round(method.GetProperty("smape").GetDouble(), 3));
        Assert.Equal(mase, Math.Round(method.GetProperty("mase").GetDouble(), 3));
    }

    /// <summary>shared/data beside the folder that holds Forecaster.sln.</summary>
    private static string DataDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Forecaster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.Parent is null
            ? throw new DirectoryNotFoundException($"No Forecaster.sln above {AppContext.BaseDirectory}.")
            : Path.Combine(directory.Parent.FullName, "shared", "data");
    }
}
