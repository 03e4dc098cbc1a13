using Forecaster.Core.Forecasting;
namespace Forecaster.Core.Tests.Anomaly;
public class DebugTmp
{
    [Fact]
    public void Dump()
    {
        var settings = new ForecastSettings { Season = 24, WarmupPoints = 48, HiddenSize = 8, Horizons = 2 };
        var random = new Random(3);
        var forecaster = new BatchForecaster(settings, 1);
        var series = forecaster.CreateSeries();
        var lines = new List<string>();
        for (var t = 0; t < 2000; t++)
        {
            var v = 100 + (20 * Math.Sin(2 * Math.PI * t / 24)) + (2 * ((random.NextDouble() * 2) - 1));
            forecaster.Add(series, t * 3_600_000L, v);
            forecaster.Step();
            var q = forecaster.Quantiles(0);
            if (forecaster.AnomalyFlag(0) != 0 || t % 100 == 0) lines.Add($"{t} {forecaster.Status(0)} v={v:F2} q={q[0]:F2},{q[1]:F2},{q[2]:F2} l={forecaster.AnomalyLikelihood(0):F3} ev={forecaster.AnomalyFlag(0)} score={forecaster.AnomalyScore(0):F2}");
        }
        File.WriteAllLines("/tmp/dump.txt", lines);
    }
}
