using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Commands;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary><c>backtest --input</c> through the profiles: each profile's series are a run of their own with the profile's season and horizon.</summary>
public sealed class ProfileBacktestTests : IDisposable
{
    private const string Profiles = """
        {
          "Profiles": {
            "Rules": [
              { "Name": "m4", "Metric": "m4_hourly", "Seasons": [ "1d", "1w" ], "Horizon": "48h" },
              { "Name": "nab", "Metric": "nab", "Labels": { "file": "*" }, "Seasons": [ "1d", "1w" ], "Horizon": "1h" },
              { "Name": "coarse", "Metric": "coarse_*", "Step": "15m", "Aggregation": "max", "Seasons": [ "1d" ], "Horizon": "1h" }
            ]
          }
        }
        """;

    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("backtest-profiles-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Without_season_and_horizon_each_profile_and_step_is_a_run_with_its_own()
    {
        var csv = new StringBuilder("series,timestamp,value\n");
        AppendSine(csv, "m4_hourly{series=\"a\"}", TimeSpan.FromHours(1), 24 * 5);
        AppendSine(csv, "nab{file=\"five\"}", TimeSpan.FromMinutes(5), 288 * 3);
        AppendSine(csv, "nab{file=\"hourly\"}", TimeSpan.FromHours(1), 24 * 3);
        AppendSine(csv, "coarse_cpu", TimeSpan.FromMinutes(5), 288 * 3 * 3);
        var input = Write("points.csv", csv.ToString());
        var profiles = Write("profiles.json", Profiles);
        var outDirectory = Path.Combine(folder.FullName, "out");

        var (exitCode, output, error) = Invoke(BaselineMethod.All, "--input", input, "--profiles", profiles, "--out", outDirectory, "--plots", "0");

        Assert.True(exitCode == BacktestRun.Success, error);
        Assert.Contains("profile m4, step 1h: season 24, horizon 48", output, StringComparison.Ordinal);
        Assert.Contains("profile nab, step 5m: season 288, horizon 12", output, StringComparison.Ordinal);
        Assert.Contains("profile nab, step 1h: season 24, horizon 1", output, StringComparison.Ordinal);
        Assert.Contains("profile coarse, step 15m: season 96, horizon 4", output, StringComparison.Ordinal);
        Assert.Contains("profile nab, all its steps pooled (5m, 1h): means over its 2 series", output, StringComparison.Ordinal);
        Assert.Equal((1, 48), Summary(outDirectory, "m4"));
        Assert.Equal((1, 12), Summary(outDirectory, "nab", "5m"));
        Assert.Equal((1, 1), Summary(outDirectory, "nab", "1h"));
        Assert.Equal((1, 4), Summary(outDirectory, "coarse"));
    }

    [Fact]
    public void Season_and_horizon_given_override_every_profile()
    {
        var csv = new StringBuilder("series,timestamp,value\n");
        AppendSine(csv, "m4_hourly{series=\"a\"}", TimeSpan.FromHours(1), 24 * 5);
        AppendSine(csv, "nab{file=\"five\"}", TimeSpan.FromMinutes(5), 288 * 3);
        var outDirectory = Path.Combine(folder.FullName, "out");

        var (exitCode, output, _) = Invoke(BaselineMethod.All, "--input", Write("points.csv", csv.ToString()), "--profiles", Write("profiles.json", Profiles), "--horizon", "6", "--out", outDirectory, "--plots", "0");

        Assert.Equal(BacktestRun.Success, exitCode);
        Assert.Contains("profile m4, step 1h: season 24, horizon 6", output, StringComparison.Ordinal);
        Assert.Contains("profile nab, step 5m: season 288, horizon 6", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_profiles_file_is_a_usage_error_with_one_line_per_value()
    {
        var input = Write("points.csv", "series,timestamp,value\n");
        var profiles = Write("profiles.json", """{ "Profiles": { "Rules": [ { "Name": "x", "Metric": "[", "Horizon": "soon" } ] } }""");

        var (exitCode, _, error) = Invoke(BaselineMethod.All, "--input", input, "--profiles", profiles, "--out", Path.Combine(folder.FullName, "out"));

        Assert.Equal(BacktestRun.UsageError, exitCode);
        Assert.Equal(
            [
                "backtest: Profiles:Rules:0:Metric is not a glob: '[' has an unclosed [.",
                "backtest: Profiles:Rules:0:Horizon 'soon' is not a duration (a number of milliseconds, or time units such as 15s, 5m, 1h, 1d, 1w).",
            ],
            error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Profiles_need_the_long_format() =>
        Assert.Equal(BacktestRun.UsageError, Invoke(BaselineMethod.All, "--train", Write("t.csv", ""), "--test", Write("u.csv", ""), "--profiles", Write("p.json", Profiles)).ExitCode);

    private static (int ExitCode, string Output, string Error) Invoke(IReadOnlyList<IBacktestMethod> methods, params string[] args)
    {
        var root = new RootCommand { BacktestCommand.Create(methods) };
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = root.Parse(["backtest", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static (int Series, int Horizon) Summary(params string[] path)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine([.. path, "summary.json"])));
        return (summary.RootElement.GetProperty("series").GetInt32(), summary.RootElement.GetProperty("horizon").GetInt32());
    }

    private static void AppendSine(StringBuilder csv, string id, TimeSpan step, int points)
    {
        var noise = new Random(points);
        for (var t = 0; t < points; t++)
        {
            var time = Start + (step * t);
            var value = 100 + (10 * Math.Sin(2 * Math.PI * time.TimeOfDay.TotalHours / 24)) + (3 * noise.NextDouble());
            csv.Append(CultureInfo.InvariantCulture, $"\"{id.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{time:yyyy-MM-ddTHH:mm:ssZ},{value:R}\n");
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
