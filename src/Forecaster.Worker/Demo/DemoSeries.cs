namespace Forecaster.Worker.Demo;

/// <summary>One bundled stream: its metric name and instance label, and its points (epoch ms, value) in time order.</summary>
internal sealed record DemoSeries(string Metric, string Instance, long[] Timestamps, double[] Values)
{
    /// <summary>The id the worker gives it (<c>metric{instance="..."}</c>).</summary>
    public string Id => $"{Metric}{{instance=\"{Instance}\"}}";
}
