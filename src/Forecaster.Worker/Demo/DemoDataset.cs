using System.Globalization;

namespace Forecaster.Worker.Demo;

/// <summary>The NAB streams embedded in the executable (Demo/Data, MIT, see SOURCE.md there).</summary>
internal static class DemoDataset
{
    /// <summary>Step of every bundled stream: 5 minutes.</summary>
    public const int StepSeconds = 300;

    /// <summary>One day in steps: the daily season of 5-minute data.</summary>
    public const int Season = 288;

    private static readonly (string File, string Metric, string Instance)[] Files =
    [
        ("ec2_cpu_utilization_5f5533.csv", "ec2_cpu_utilization", "5f5533"),
        ("rds_cpu_utilization_cc0c53.csv", "rds_cpu_utilization", "cc0c53"),
        ("ec2_network_in_257a54.csv", "ec2_network_in", "257a54"),
        ("ec2_request_latency_system_failure.csv", "ec2_request_latency", "system_failure"),
    ];

    public static List<DemoSeries> Load()
    {
        var assembly = typeof(DemoDataset).Assembly;
        var series = new List<DemoSeries>(Files.Length);
        foreach (var (file, metric, instance) in Files)
        {
            using var stream = assembly.GetManifestResourceStream("demo/" + file)
                ?? throw new InvalidOperationException($"The demo data {file} is not embedded.");
            using var reader = new StreamReader(stream);
            var times = new List<long>();
            var values = new List<double>();
            reader.ReadLine();
            while (reader.ReadLine() is { } line)
            {
                var comma = line.IndexOf(',', StringComparison.Ordinal);
                var time = DateTime.ParseExact(line.AsSpan(0, comma), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                times.Add(new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds());
                values.Add(double.Parse(line.AsSpan(comma + 1), CultureInfo.InvariantCulture));
            }

            series.Add(new DemoSeries(metric, instance, [.. times], [.. values]));
        }

        return series;
    }
}
