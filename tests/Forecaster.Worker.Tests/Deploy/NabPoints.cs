using System.Globalization;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// Real metric streams for the live-worker tests: the first rows of NAB's AWS CloudWatch files
/// (../shared/data/nab, 5-minute steps), as canonical input records keyed by series.
/// </summary>
internal static class NabPoints
{
    public static readonly string[] Streams = ["ec2_cpu_utilization_24ae8d", "ec2_network_in_5abac7", "rds_cpu_utilization_cc0c53"];

    public static List<(string? Key, string Value)> Read(int rowsPerStream)
    {
        var records = new List<(string?, string)>();
        foreach (var stream in Streams)
        {
            var path = System.IO.Path.Combine(RepositoryFiles.Root, "..", "shared", "data", "nab", "realAWSCloudwatch", stream + ".csv");
            var previous = long.MinValue;
            foreach (var line in File.ReadLines(path).Skip(1).Take(rowsPerStream))
            {
                var fields = line.Split(',');
                var ts = DateTime.ParseExact(fields[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                var ms = new DateTimeOffset(ts, TimeSpan.Zero).ToUnixTimeMilliseconds();

                // Each point in a bucket of its own, so each yields exactly one forecast.
                Assert.True(ms > previous, $"{stream}: timestamps must increase ({fields[0]})");
                previous = ms;
                var value = double.Parse(fields[1], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
                records.Add(($"nab{{stream=\"{stream}\"}}", $$"""{"metric":"nab","labels":{"stream":"{{stream}}"},"ts":{{ms}},"value":{{value}}}"""));
            }
        }

        Assert.Equal(Streams.Length * rowsPerStream, records.Count);
        return records;
    }
}
