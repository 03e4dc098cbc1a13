using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Forecaster.Worker.Tests.Checkpoints;

namespace Forecaster.Worker.Tests.Commands;

/// <summary>
/// The README's first command: <c>forecaster demo</c> starts the mock cluster and the unchanged worker with the shipped
/// settings plus the demo's overrides, forecasts come back, the shards retrain within the replay (the demo's
/// point triggers; the shipped ones never fire in its accelerated time), and Ctrl-C ends it with a final summary
/// and exit code 0.
/// It guards against a setting or validator change that leaves the demo's overrides invalid (the host then fails to
/// start, as it did with a 512-value history against a 288-step season).
/// </summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public void The_demo_forecasts_and_stops_cleanly_on_ctrl_c()
    {
        using var forecasting = new ManualResetEventSlim();
        var lines = new List<string>();
        var gate = new Lock();
        using var demo = new ChildProcess("forecaster.dll", ["demo", "--duration", "600", "--speed", "50"], onLine: line =>
        {
            lock (gate)
            {
                lines.Add(line);
            }

            if (Summary().Match(line) is { Success: true } m && Forecasts(m) > 0 && Retrains(m) > 0)
            {
                forecasting.Set();
            }
        });

        Assert.True(forecasting.Wait(TimeSpan.FromSeconds(180)) || demo.HasExited, "no forecasts and retraining within 180 s:\n" + demo.Tail);
        Assert.False(demo.HasExited && !forecasting.IsSet, "the demo ended before forecasting and retraining:\n" + demo.Tail);
        using (var interrupt = Process.Start("/bin/sh", ["-c", "kill -INT " + demo.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            interrupt.WaitForExit();
        }

        Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(60)), "the demo did not stop on Ctrl-C:\n" + demo.Tail);
        Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}:\n{demo.Tail}");
        string[] output;
        lock (gate)
        {
            output = [.. lines];
        }

        var final = Array.FindIndex(output, l => l == "Final:");
        Assert.True(final >= 0 && final + 1 < output.Length, "no final summary:\n" + demo.Tail);
        var summary = Summary().Match(output[final + 1]);
        Assert.True(summary.Success && Forecasts(summary) > 0, "final summary: " + output[final + 1]);
        Assert.Equal("0", summary.Groups["dead"].Value);
    }

    private static long Forecasts(Match summary) => long.Parse(summary.Groups["forecasts"].Value, CultureInfo.InvariantCulture);

    private static long Retrains(Match summary) =>
        long.Parse(summary.Groups["accepted"].Value, CultureInfo.InvariantCulture) + long.Parse(summary.Groups["refused"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"forecasts out\s+(?<forecasts>\d+)\s+dead letters\s+(?<dead>\d+)\s+retrains accepted\s+(?<accepted>\d+)\s+refused\s+(?<refused>\d+)")]
    private static partial Regex Summary();
}
