using System.Globalization;
using System.Text;
using Forecaster.Worker.Tests.Deploy;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary>
/// Accuracy through the profiles (issue 11 item 7) on a deterministic subset of the real data: the first 16 M4 Hourly series and
/// three NAB five-minute files in one long file, the two profiles of tests/tools/m4_nab_profiles.json and no --season: each
/// group scores within 2 % of its dedicated run with the hand-set season (M4 --season 24 --horizon 48, NAB --season 288
/// --horizon 12), for a small LSTM and every baseline. The full comparison is a command in the README.
/// </summary>
public sealed class ProfileAccuracyTests : IDisposable
{
    private const int M4Series = 16;
    private static readonly string[] NabFiles = ["ec2_cpu_utilization_24ae8d", "ec2_cpu_utilization_53ea38", "ec2_cpu_utilization_5f5533"];
    private static readonly DateTimeOffset M4Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("backtest-profile-accuracy-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Each_profile_group_scores_within_2_percent_of_its_dedicated_run()
    {
        var m4 = M4Rows();
        var nab = NabRows();
        var combined = Write("combined.csv", m4 + nab);
        var profiles = RepositoryFiles.Path("tests", "tools", "m4_nab_profiles.json");

        var byProfile = ProfileRuns.Run("--input", combined, "--profiles", profiles, "--out", Path.Combine(folder.FullName, "profiles"));
        var dedicatedM4 = ProfileRuns.Run("--input", Write("m4.csv", m4), "--season", "24", "--horizon", "48", "--out", Path.Combine(folder.FullName, "m4"));
        var dedicatedNab = ProfileRuns.Run("--input", Write("nab.csv", nab), "--season", "288", "--horizon", "12", "--out", Path.Combine(folder.FullName, "nab"));

        ProfileRuns.AssertWithin2Percent(ProfileRuns.Scores(folder.FullName, "m4", "summary.json"), ProfileRuns.Scores(folder.FullName, "profiles", "m4", "summary.json"), M4Series, 48);
        ProfileRuns.AssertWithin2Percent(ProfileRuns.Scores(folder.FullName, "nab", "summary.json"), ProfileRuns.Scores(folder.FullName, "profiles", "nab", "summary.json"), NabFiles.Length, 12);
        Assert.Contains("profile m4, step 1h: season 24, horizon 48", byProfile, StringComparison.Ordinal);
        Assert.Contains("profile nab, step 5m: season 288, horizon 12", byProfile, StringComparison.Ordinal);
        Assert.NotEmpty(dedicatedM4 + dedicatedNab);
    }

    /// <summary>The first <see cref="M4Series"/> M4 Hourly series, training part then test part, hourly from a fixed start (M4 gives no dates).</summary>
    private static string M4Rows()
    {
        var data = Path.Combine(Path.GetDirectoryName(RepositoryFiles.Root)!, "shared", "data", "m4-hourly");
        var tests = File.ReadLines(Path.Combine(data, "test.csv")).Skip(1).Take(M4Series).ToArray();
        var rows = new StringBuilder("series,timestamp,value\n");
        foreach (var (train, test) in File.ReadLines(Path.Combine(data, "train.csv")).Skip(1).Take(M4Series).Zip(tests))
        {
            var cells = train.Split(',').Select(c => c.Trim('"')).ToArray();
            var values = cells.Skip(1).Concat(test.Split(',').Skip(1).Select(c => c.Trim('"'))).Where(c => c.Length > 0).ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                rows.Append(CultureInfo.InvariantCulture, $"\"m4_hourly{{series=\"\"{cells[0]}\"\"}}\",{M4Start.AddHours(i):yyyy-MM-ddTHH:mm:ssZ},{values[i]}\n");
            }
        }

        return rows.ToString();
    }

    /// <summary>Three NAB five-minute files with their own timestamps, as tests/tools/nab_to_long.py converts them.</summary>
    private static string NabRows()
    {
        var data = Path.Combine(Path.GetDirectoryName(RepositoryFiles.Root)!, "shared", "data", "nab", "realAWSCloudwatch");
        var rows = new StringBuilder();
        foreach (var file in NabFiles)
        {
            foreach (var line in File.ReadLines(Path.Combine(data, file + ".csv")).Skip(1))
            {
                var cells = line.Split(',');
                rows.Append(CultureInfo.InvariantCulture, $"\"nab{{file=\"\"{file}\"\"}}\",{cells[0].Replace(' ', 'T')}Z,{cells[1]}\n");
            }
        }

        return rows.ToString();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, text.StartsWith("series,", StringComparison.Ordinal) ? text : "series,timestamp,value\n" + text);
        return path;
    }
}
