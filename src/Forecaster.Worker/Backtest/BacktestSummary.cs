using System.Text.Json;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// Writes summary.json:
/// <c>{"series": N, "horizon": H, "seconds": s, "methods": {"key": {"smape", "mase", "owa", "coverage"}}}</c>.
/// Every method has all four keys; a value that is undefined is <c>null</c>: coverage for a
/// method without a band (the baselines), OWA without Naive2, MASE when every series had a zero
/// scale. sMAPE is in percent, coverage a fraction in [0, 1], seconds the whole run.
/// </summary>
internal static class BacktestSummary
{
    public static void Write(Stream destination, int seriesCount, int horizon, double seconds, IReadOnlyList<MethodResult> results)
    {
        using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("series", seriesCount);
        json.WriteNumber("horizon", horizon);
        json.WriteNumber("seconds", Math.Round(seconds, 3));
        json.WriteStartObject("methods");
        foreach (var result in results)
        {
            json.WriteStartObject(result.Method.Key);
            WriteNumberOrNull(json, "smape", result.Scores.Smape);
            WriteNumberOrNull(json, "mase", result.Scores.Mase);
            WriteNumberOrNull(json, "owa", result.Owa);
            WriteNumberOrNull(json, "coverage", result.Coverage);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
