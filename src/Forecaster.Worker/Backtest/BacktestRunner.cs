using System.Diagnostics;
using Forecaster.Core.Scoring;

namespace Forecaster.Worker.Backtest;

/// <summary>Runs every method on the same series and scores it against the test parts (M4 protocol).</summary>
internal static class BacktestRunner
{
    /// <returns>One result per method, in the given order, with OWA against the method keyed "naive2".</returns>
    /// <exception cref="InvalidOperationException">A method returned the wrong number of forecasts, a wrong length, or a non-finite value.</exception>
    public static IReadOnlyList<MethodResult> Run(
        IReadOnlyList<BacktestSeries> series,
        IReadOnlyList<IBacktestMethod> methods,
        BacktestSettings settings,
        ProgressLine progress,
        CancellationToken cancellationToken)
    {
        var training = series.Select(s => (ReadOnlyMemory<double>)s.Train).ToArray();
        var scales = series.Select(s => ForecastMetrics.MaseScale(s.Train, settings.Season)).ToArray();
        var scored = new List<(IBacktestMethod Method, IReadOnlyList<MethodForecast> Forecasts, ScoreAccumulator Scores, double Seconds)>();
        foreach (var method in methods)
        {
            var clock = Stopwatch.StartNew();
            var forecasts = method.Forecast(training, settings, progress, cancellationToken);
            double seconds = clock.Elapsed.TotalSeconds;
            progress.Finish();
            scored.Add((method, forecasts, Score(method, series, forecasts, scales, settings.Horizon), seconds));
        }

        var naive2 = scored.FirstOrDefault(s => s.Method.Key == "naive2").Scores;
        return scored
            .Select(s => new MethodResult(s.Method, s.Forecasts, s.Scores, naive2 is null ? double.NaN : s.Scores.Owa(naive2), s.Seconds))
            .ToArray();
    }

    private static ScoreAccumulator Score(
        IBacktestMethod method,
        IReadOnlyList<BacktestSeries> series,
        IReadOnlyList<MethodForecast> forecasts,
        double[] scales,
        int horizon)
    {
        if (forecasts.Count != series.Count)
        {
            throw new InvalidOperationException($"Method {method.Key} returned {forecasts.Count} forecasts for {series.Count} series.");
        }

        var scores = new ScoreAccumulator();
        for (int i = 0; i < series.Count; i++)
        {
            var forecast = forecasts[i];
            Check(method, series[i].Id, forecast.Point, horizon);
            if (forecast.HasBand)
            {
                Check(method, series[i].Id, forecast.Lower!, horizon);
                Check(method, series[i].Id, forecast.Upper!, horizon);
                scores.Add(series[i].Test, forecast.Point, scales[i], forecast.Lower, forecast.Upper);
            }
            else
            {
                scores.Add(series[i].Test, forecast.Point, scales[i]);
            }
        }

        return scores;
    }

    private static void Check(IBacktestMethod method, string id, double[] values, int horizon)
    {
        if (values.Length != horizon || !values.All(double.IsFinite))
        {
            throw new InvalidOperationException($"Method {method.Key} returned {values.Length} values for series {id} (expected {horizon} finite values).");
        }
    }
}
