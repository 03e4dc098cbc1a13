using System.Globalization;
using System.Text;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Deploy;

namespace Forecaster.Worker.Tests.Training;

/// <summary>
/// NAB's real streams (../shared/data/nab: AWS CloudWatch and known-cause, 5-minute steps mostly) as canonical
/// records, merged in timestamp order, offered to a shard the way the consume loop does.
/// </summary>
internal static class NabStreams
{
    public static List<(long Ms, string Stream, double Value)> Read(params string[] folders)
    {
        var points = new List<(long, string, double)>();
        foreach (var folder in folders)
        {
            foreach (var path in Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "..", "shared", "data", "nab", folder), "*.csv").Order(StringComparer.Ordinal))
            {
                var stream = Path.GetFileNameWithoutExtension(path);
                foreach (var line in File.ReadLines(path).Skip(1))
                {
                    var fields = line.Split(',');
                    var ts = DateTime.ParseExact(fields[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    points.Add((new DateTimeOffset(ts, TimeSpan.Zero).ToUnixTimeMilliseconds(), stream, double.Parse(fields[1], CultureInfo.InvariantCulture)));
                }
            }
        }

        // Each stream is shifted to start at the same instant, so they interleave as live series would.
        var starts = points.GroupBy(p => p.Item2).ToDictionary(g => g.Key, g => g.Min(p => p.Item1));
        return [.. points.Select(p => (p.Item1 - starts[p.Item2], p.Item2, p.Item3)).OrderBy(p => p.Item1).ThenBy(p => p.Item2, StringComparer.Ordinal)];
    }

    /// <summary>Offers one point as record <paramref name="offset"/> (registered and released here).</summary>
    public static OfferResult Offer(Shard shard, RecordDecoder decoder, long offset, long ms, string stream, double value)
    {
        var json = $$"""{"metric":"nab","labels":{"stream":"{{stream}}"},"ts":{{ms + 1_400_000_000_000}},"value":{{value.ToString("R", CultureInfo.InvariantCulture)}}}""";
        Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, ms + 1_400_000_000_000));
        shard.Offsets.Register(offset);
        var result = shard.Offer(decoder.Record, decoder.Ids, 0, offset);
        shard.Offsets.Release(offset);
        return result;
    }
}
