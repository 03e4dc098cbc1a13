namespace Forecaster.Worker.Options;

/// <summary>The <c>Http</c> section: the port for /metrics, /healthz and /readyz.</summary>
internal sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>/healthz fails when the consume loop has not turned for this long.</summary>
    [Duration(DurationUnit.Seconds)]
    public int HealthStallSeconds { get; set; } = 60;
}
