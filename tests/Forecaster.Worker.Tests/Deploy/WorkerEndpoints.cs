namespace Forecaster.Worker.Tests.Deploy;

/// <summary>The HTTP paths the worker serves on Http:Port (WorkerHost); the live-worker tests GET each of them.</summary>
internal static class WorkerEndpoints
{
    public const string Health = "/healthz";
    public const string Ready = "/readyz";
    public const string Metrics = "/metrics";

    public static readonly string[] All = [Health, Ready, Metrics];
}
