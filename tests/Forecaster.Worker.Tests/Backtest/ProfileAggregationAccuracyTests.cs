using System.Globalization;
using System.Text;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Tests.Deploy;

namespace Forecaster.Worker.Tests.Backtest;

/// <summary>
/// Accuracy through a profile whose step is coarser than the data (issue 11 items 2 and 7): three NAB files (two at 5 minutes,
/// one with the DST repeats; nyc_taxi at 30 minutes) under tests/tools/nab_hourly_profiles.json (<c>"Step": "1h"</c>, seasons
/// 1d/1w, horizon 12h) score as a dedicated <c>--season 24 --horizon 12</c> run of the same files pre-aggregated to hourly
/// means here, by hour-of-day text rather than epoch arithmetic. The full 24-file comparison is a command in the README.
/// </summary>
public sealed class ProfileAggregationAccuracyTests : IDisposable
{
    /// <summary>Folder and file; the hourly bucket count (a partial first and last hour at 5 minutes: 4032 = 6 + 335 × 12 + 6).</summary>
    private static readonly (string Folder, string File, int Buckets)[] Files =
    [
        ("realAWSCloudwatch", "ec2_cpu_utilization_24ae8d", 337),
        ("realKnownCause", "ec2_request_latency_system_failure", 336),
        ("realKnownCause", "nyc_taxi", 5160),
    ];

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("backtest-profile-aggregation-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void A_group_aggregated_to_hours_scores_as_its_hourly_means_run_alone()
    {
        var raw = Write("raw.csv", RawRows());
        var hourly = HourlyMeans();
        var profiles = RepositoryFiles.Path("tests", "tools", "nab_hourly_profiles.json");

        var byProfile = ProfileRuns.Run("--input", raw, "--profiles", profiles, "--out", Path.Combine(folder.FullName, "profiles"));
        ProfileRuns.Run("--input", Write("hourly.csv", HourlyRows(hourly)), "--season", "24", "--horizon", "12", "--out", Path.Combine(folder.FullName, "dedicated"));

        Assert.Contains("profile nab-1h, step 1h: season 24, horizon 12", byProfile, StringComparison.Ordinal);
        ProfileRuns.AssertWithin2Percent(
            ProfileRuns.Scores(folder.FullName, "dedicated", "summary.json"), ProfileRuns.Scores(folder.FullName, "profiles", "nab-1h", "summary.json"), Files.Length, 12, positive: true);
    }

    [Fact]
    public void Each_series_reaches_the_scorer_as_its_hourly_means()
    {
        var raw = Write("raw.csv", RawRows());
        var profiles = BacktestProfiles.Load(RepositoryFiles.Path("tests", "tools", "nab_hourly_profiles.json"), out var invalid);
        Assert.True(profiles is not null, string.Join("; ", invalid));
        var problems = new List<InputProblem>();
        using var reader = File.OpenText(raw);
        var points = LongFormatReader.ReadPoints(reader, "raw.csv");

        var group = Assert.Single(ProfileGrouping.Group(points.Series, profiles, null, null, 1, "raw.csv", problems));

        Assert.Equal(3_600_000, group.StepMs);
        Assert.Empty(problems);
        Assert.Equal(11, points.Problems.Count); // the latency file's 11 repeated 03:00 rows
        var hourly = HourlyMeans();
        for (var i = 0; i < Files.Length; i++)
        {
            var series = group.Series[i];
            Assert.Equal(Files[i].Buckets, series.Train.Length + series.Test.Length);
            Assert.Equal(12, series.Test.Length);
            Assert.Equal(hourly[i].Select(h => h.Mean), [.. series.Train, .. series.Test]);
        }
    }

    private static string Id(string file) => $"\"nab{{file=\"\"{file}\"\"}}\"";

    /// <summary>Each file's rows as <c>(timestamp text, value text)</c>, as NAB writes them.</summary>
    private static IEnumerable<(string Time, string Value)> Rows(string folderName, string file) =>
        File.ReadLines(Path.Combine(Path.GetDirectoryName(RepositoryFiles.Root)!, "shared", "data", "nab", folderName, file + ".csv"))
            .Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).Select(cells => (cells[0], cells[1].TrimEnd('\r')));

    private static string RawRows()
    {
        var rows = new StringBuilder("series,timestamp,value\n");
        foreach (var (folderName, file, _) in Files)
        {
            foreach (var (time, value) in Rows(folderName, file))
            {
                rows.Append(CultureInfo.InvariantCulture, $"{Id(file)},{time.Replace(' ', 'T')}Z,{value}\n");
            }
        }

        return rows.ToString();
    }

    /// <summary>
    /// Per file, the mean of the rows of each hour ("yyyy-MM-dd HH" of the timestamp text), summed in row order; a row whose
    /// timestamp text is not after the previous kept row's is dropped, as the reader drops it.
    /// </summary>
    private static List<(string Hour, double Mean)>[] HourlyMeans() => [.. Files.Select(f =>
    {
        var hours = new List<(string Hour, double Mean)>();
        string? last = null;
        string? hour = null;
        double sum = 0;
        var count = 0;
        foreach (var (time, value) in Rows(f.Folder, f.File))
        {
            if (last is not null && string.CompareOrdinal(time, last) <= 0)
            {
                continue;
            }

            last = time;
            if (time[..13] != hour && count > 0)
            {
                hours.Add((hour!, sum / count));
                count = 0;
            }

            hour = time[..13];
            sum = count == 0 ? double.Parse(value, CultureInfo.InvariantCulture) : sum + double.Parse(value, CultureInfo.InvariantCulture);
            count++;
        }

        hours.Add((hour!, sum / count));
        return hours;
    })];

    private static string HourlyRows(List<(string Hour, double Mean)>[] hourly)
    {
        var rows = new StringBuilder("series,timestamp,value\n");
        for (var i = 0; i < Files.Length; i++)
        {
            foreach (var (hour, mean) in hourly[i])
            {
                rows.Append(CultureInfo.InvariantCulture, $"{Id(Files[i].File)},{hour.Replace(' ', 'T')}:00:00Z,{mean:R}\n");
            }
        }

        return rows.ToString();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
