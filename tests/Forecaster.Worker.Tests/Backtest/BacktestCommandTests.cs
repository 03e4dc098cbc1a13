using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Commands;

namespace Forecaster.Worker.Tests.Backtest;

public sealed class BacktestCommandTests : IDisposable
{
    private const int Season = 6;
    private const int Horizon = 6;

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("backtest-test-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Scores_a_long_format_file_writes_summary_and_plots_and_exits_0()
    {
        string input = WriteLongCsv(badRow: false);
        string outDirectory = Path.Combine(folder.FullName, "out");

        var (exitCode, output, _) = Invoke(BacktestCommand.Create(BaselineMethod.All), "--input", input, "--horizon", $"{Horizon}", "--season", $"{Season}", "--out", outDirectory, "--plots", "2");

        Assert.Equal(BacktestRun.Success, exitCode);
        Assert.Contains("seasonal naive", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDirectory, "summary.json")));
        Assert.Equal(3, summary.RootElement.GetProperty("series").GetInt32());
        Assert.Equal(Horizon, summary.RootElement.GetProperty("horizon").GetInt32());
        Assert.Equal(["naive", "snaive", "naive2"], summary.RootElement.GetProperty("methods").EnumerateObject().Select(p => p.Name));
        string[] plots = Directory.GetFiles(Path.Combine(outDirectory, "plots"), "*.png").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["001-s0.png", "002-s1.png"], plots.Select(Path.GetFileName));
        Assert.All(plots, AssertIsPng);
    }

    [Fact]
    public void A_skipped_row_is_reported_with_its_line_the_rest_is_scored_and_exit_is_3()
    {
        string input = WriteLongCsv(badRow: true);
        string outDirectory = Path.Combine(folder.FullName, "out");

        var (exitCode, _, error) = Invoke(BacktestCommand.Create(BaselineMethod.All), "--input", input, "--horizon", $"{Horizon}", "--season", $"{Season}", "--out", outDirectory, "--plots", "0");

        Assert.Equal(BacktestRun.SomethingSkipped, exitCode);
        Assert.Contains("points.csv:3: series s1: value 'oops'", error, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDirectory, "summary.json")));
        Assert.Equal(3, summary.RootElement.GetProperty("series").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(outDirectory, "plots")));
    }

    [Fact]
    public void A_method_with_a_band_is_plotted_and_gets_coverage()
    {
        string input = WriteLongCsv(badRow: false);
        string outDirectory = Path.Combine(folder.FullName, "out");
        IBacktestMethod[] methods = [new FakeBandMethod(halfWidth: 2), .. BaselineMethod.All];

        var (exitCode, output, _) = Invoke(BacktestCommand.Create(methods), "--input", input, "--horizon", $"{Horizon}", "--season", $"{Season}", "--out", outDirectory, "--plots", "1", "--limit", "2");

        Assert.Equal(BacktestRun.Success, exitCode);
        Assert.StartsWith("2 series", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDirectory, "summary.json")));
        var coverage = summary.RootElement.GetProperty("methods").GetProperty("lstm").GetProperty("coverage");
        Assert.InRange(coverage.GetDouble(), 0, 1);
        AssertIsPng(Path.Combine(outDirectory, "plots", "001-s0.png"));
    }

    [Theory]
    [InlineData("--horizon", "6")]
    [InlineData("--input", "missing.csv", "--train", "missing.csv")]
    [InlineData("--input", "missing.csv")]
    [InlineData("--train", "x.csv")]
    public void Usage_errors_exit_2_and_write_nothing(params string[] args)
    {
        string outDirectory = Path.Combine(folder.FullName, "out");

        var (exitCode, _, error) = Invoke(BacktestCommand.Create(BaselineMethod.All), [.. args, "--out", outDirectory]);

        Assert.Equal(BacktestRun.UsageError, exitCode);
        Assert.StartsWith("backtest: ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDirectory));
    }

    [Fact]
    public void Bad_horizon_is_a_usage_error()
    {
        string input = WriteLongCsv(badRow: false);

        var (exitCode, _, _) = Invoke(BacktestCommand.Create(BaselineMethod.All), "--input", input, "--horizon", "0", "--out", Path.Combine(folder.FullName, "out"));

        Assert.Equal(BacktestRun.UsageError, exitCode);
    }

    private static (int ExitCode, string Output, string Error) Invoke(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = root.Parse(["backtest", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Three series of 5 seasons (6 points each), interleaved; with badRow, line 3 has a non-number.</summary>
    private string WriteLongCsv(bool badRow)
    {
        var csv = new StringBuilder("series,timestamp,value\n");
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int t = 0; t < 5 * Season; t++)
        {
            for (int s = 0; s < 3; s++)
            {
                double value = 100 + (10 * s) + (5 * Math.Sin(2 * Math.PI * t / Season)) + (t % 4);
                string cell = badRow && t == 0 && s == 1 ? "oops" : value.ToString("R", CultureInfo.InvariantCulture);
                string timestamp = start.AddHours(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                csv.Append(CultureInfo.InvariantCulture, $"s{s},{timestamp},{cell}\n");
            }
        }

        string path = Path.Combine(folder.FullName, "points.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static void AssertIsPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }
}
