namespace Forecaster.Worker.Demo;

/// <summary>
/// How one series' forecasts fare against what really came next: coverage of the one-step band and
/// the one-step absolute error of the model and of the seasonal naive forecast over the same points.
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
    public double NextYhat { get; private set; } = double.NaN;
    public double NextLower { get; private set; } = double.NaN;
    public double NextUpper { get; private set; } = double.NaN;
    public int Anomalies { get; private set; }
    public long Scored { get; private set; }
    public long Covered { get; private set; }
    public double ModelAbsError { get; private set; }
    public double NaiveAbsError { get; private set; }

    /// <summary>Takes one forecast: origin, status, anomaly flag and the one-step median and band.</summary>
    public void Add(long originMs, string status, int anomaly, double yhat, double lower, double upper)
    {
        Forecasts++;
        Status = status;
        NextYhat = yhat;
        NextLower = lower;
        NextUpper = upper;
        Anomalies += anomaly != 0 ? 1 : 0;
        var target = originMs + _stepMs;
        if (status != "ok" || !_actualByBucket.TryGetValue(target, out var actual)
            || !_actualByBucket.TryGetValue(target - (_season * _stepMs), out var seasonAgo) || double.IsNaN(yhat))
        {
            return;
        }

        Scored++;
        Covered += actual >= lower && actual <= upper ? 1 : 0;
        ModelAbsError += Math.Abs(actual - yhat);
        NaiveAbsError += Math.Abs(actual - seasonAgo);
    }
}
