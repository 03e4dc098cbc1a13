namespace Forecaster.Worker.Demo;

/// <summary>
/// How one series' published forecasts fare against what really came next. Every forecast served after the
/// warm-up is scored, whichever model served it (the LSTM with status <c>ok</c>, the smoothing baseline with
/// status <c>fallback</c>): coverage of its one-step band and its one-step absolute error, beside the seasonal
/// naive forecast's error over the same points, and the share of those points the LSTM served.
/// </summary>
internal sealed class SeriesScore
{
    private readonly Dictionary<long, double> _actualByBucket;
    private readonly long _stepMs;
    private readonly int _season;

    public SeriesScore(DemoSeries series, long stepMs, int season)
    {
        _stepMs = stepMs;
        _season = season;
        _actualByBucket = [];
        for (var i = 0; i < series.Timestamps.Length; i++)
        {
            _actualByBucket[series.Timestamps[i] / stepMs * stepMs] = series.Values[i];
        }
    }

    public long Forecasts { get; private set; }
    public string Status { get; private set; } = "-";
    public long ModelVersion { get; private set; }
    public double NextYhat { get; private set; } = double.NaN;
    public double NextLower { get; private set; } = double.NaN;
    public double NextUpper { get; private set; } = double.NaN;
    public int Anomalies { get; private set; }
    public long Scored { get; private set; }
    public long ScoredByLstm { get; private set; }
    public long Covered { get; private set; }
    public double ServedAbsError { get; private set; }
    public double NaiveAbsError { get; private set; }

    /// <summary>Takes one forecast: origin, status, model version, anomaly flag and the one-step median and band.</summary>
    public void Add(long originMs, string status, long modelVersion, int anomaly, double yhat, double lower, double upper)
    {
        Forecasts++;
        Status = status;
        ModelVersion = modelVersion;
        NextYhat = yhat;
        NextLower = lower;
        NextUpper = upper;
        Anomalies += anomaly != 0 ? 1 : 0;
        var target = originMs + _stepMs;
        if (status == "warming_up" || !_actualByBucket.TryGetValue(target, out var actual)
            || !_actualByBucket.TryGetValue(target - (_season * _stepMs), out var seasonAgo) || double.IsNaN(yhat))
        {
            return;
        }

        Scored++;
        ScoredByLstm += status == "ok" ? 1 : 0;
        Covered += actual >= lower && actual <= upper ? 1 : 0;
        ServedAbsError += Math.Abs(actual - yhat);
        NaiveAbsError += Math.Abs(actual - seasonAgo);
    }
}
