namespace Forecaster.Core.Forecasting;

/// <summary>Which model produced a series' forecast.</summary>
public enum SeriesStatus
{
    /// <summary>Not enough history yet: the smoothing baseline forecasts.</summary>
    WarmingUp,

    /// <summary>The LSTM forecasts.</summary>
    Ok,

    /// <summary>The LSTM has been losing to the baseline recently: the baseline forecasts.</summary>
    Fallback,
}
