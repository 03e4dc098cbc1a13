using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Options;

/// <summary>The <c>Anomaly</c> section: when the anomaly likelihood becomes an anomaly event.</summary>
internal sealed class AnomalyOptions
{
    public const string Section = "Anomaly";

    /// <summary>Likelihood at which an event fires, in (0, 1]; the default comes from <c>forecaster nab --calibrate</c> on unlabelled data.</summary>
    public double Threshold { get; set; } = ForecastSettings.DefaultAnomalyThreshold;
}
