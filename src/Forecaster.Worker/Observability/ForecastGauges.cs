using System.Globalization;
using Forecaster.Worker.Options;
using Prometheus;

namespace Forecaster.Worker.Observability;

/// <summary>
/// Opt-in gauges of the latest forecast of an allow-list of series (<c>Metrics:ForecastSeries</c>), so alert
/// rules and KEDA's Prometheus scaler can use a forecast directly: <c>forecaster_forecast{series, horizon,
/// quantile}</c> and <c>forecaster_forecast_anomaly_likelihood{series}</c>. The only metrics with a series label, and bounded by the list; a series' gauges are removed
/// when it has not been forecast for <c>Metrics:ForecastGaugeTtlSeconds</c>. Consume thread only.
/// </summary>
internal sealed class ForecastGauges
{
    private readonly Gauge _gauge;
    private readonly Gauge _likelihood;
    private readonly HashSet<string> _allowed;
    private readonly Dictionary<string, Exported> _live = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private DateTimeOffset _nextSweep;

    public ForecastGauges(CollectorRegistry registry, MetricsOptions options, TimeProvider time)
    {
        _gauge = Metrics.WithCustomRegistry(registry).CreateGauge(
            "forecaster_forecast",
            "Latest forecast of an allow-listed series (Metrics:ForecastSeries), by horizon in steps and quantile level.",
            new GaugeConfiguration { LabelNames = ["series", "horizon", "quantile"] });
        _likelihood = Metrics.WithCustomRegistry(registry).CreateGauge(
            "forecaster_forecast_anomaly_likelihood",
            "Anomaly likelihood in [0, 1] of the latest point of an allow-listed series (Metrics:ForecastSeries).",
            new GaugeConfiguration { LabelNames = ["series"] });
        _allowed = new HashSet<string>(options.ForecastSeries, StringComparer.Ordinal);
        _time = time;
        _ttl = TimeSpan.FromSeconds(options.ForecastGaugeTtlSeconds);
        _nextSweep = time.GetUtcNow();
    }

    /// <summary>Some series are allow-listed (callers skip building the series id otherwise).</summary>
    public bool Enabled => _allowed.Count > 0;

    /// <summary>Series currently exported.</summary>
    public int ExportedSeries => _live.Count;

    /// <summary>Sets the gauges of <paramref name="seriesId"/> from its [K*Q] quantiles and anomaly likelihood, if the series is allow-listed; expires quiet series.</summary>
    public void Observe(string seriesId, ReadOnlySpan<double> quantiles, float[] levels, double likelihood = 0)
    {
        if (_allowed.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_allowed.Contains(seriesId))
        {
            if (!_live.TryGetValue(seriesId, out var exported) || exported.Children.Length != quantiles.Length)
            {
                exported = new Exported(Children(seriesId, quantiles.Length, levels), _likelihood.WithLabels(seriesId));
                _live[seriesId] = exported;
            }

            for (var i = 0; i < quantiles.Length; i++)
            {
                exported.Children[i].Set(quantiles[i]);
            }

            exported.Likelihood.Set(likelihood);
            exported.Seen = now;
        }

        if (now >= _nextSweep)
        {
            _nextSweep = now + TimeSpan.FromSeconds(10);
            Sweep(now);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, exported) in _live)
        {
            if (now - exported.Seen >= _ttl)
            {
                foreach (var child in exported.Children)
                {
                    child.Remove();
                }

                exported.Likelihood.Remove();

                _live.Remove(id);
            }
        }
    }

    private Gauge.Child[] Children(string seriesId, int count, float[] levels)
    {
        var children = new Gauge.Child[count];
        for (var i = 0; i < count; i++)
        {
            var horizon = ((i / levels.Length) + 1).ToString(CultureInfo.InvariantCulture);
            var level = levels[i % levels.Length].ToString(CultureInfo.InvariantCulture);
            children[i] = _gauge.WithLabels(seriesId, horizon, level);
        }

        return children;
    }

    private sealed class Exported(Gauge.Child[] children, Gauge.Child likelihood)
    {
        public Gauge.Child[] Children { get; } = children;

        public Gauge.Child Likelihood { get; } = likelihood;

        public DateTimeOffset Seen { get; set; }
    }
}
