using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>The forecasts a read_committed reader sees, as (series, origin ts) pairs.</summary>
internal static class CommittedForecasts
{
    /// <summary>Every forecast's (series, origin ts), once <paramref name="expected"/> arrived (or 30 s).</summary>
    public static List<(string Series, long Origin)> Keys(KafkaOptions kafka, int expected) =>
        [.. TopicIo.ReadAll(kafka.BootstrapServers, kafka.ForecastTopic, expected).Select(r => (TopicIo.Key(r), TopicIo.Json(r).GetProperty("ts").GetInt64()))];

    /// <summary>Waits (up to 60 s) for <paramref name="expected"/> forecasts, then asserts there are exactly that many, all distinct.</summary>
    public static void AssertExactlyOnce(KafkaOptions kafka, int expected, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var keys = Keys(kafka, expected);
        while (keys.Count < expected && DateTime.UtcNow < deadline)
        {
            keys = Keys(kafka, expected);
        }

        Assert.True(keys.Count == expected, $"{keys.Count} forecasts visible, {expected} expected. {context?.Invoke()}");
        Assert.Equal(expected, keys.Distinct().Count());
    }
}
