using System.Globalization;
using System.Text.RegularExpressions;
using Forecaster.Worker.Tests.Checkpoints;

namespace Forecaster.Worker.Tests.Commands;

/// <summary>
/// The README's first command: <c>forecaster demo</c> starts the mock cluster, the unchanged worker with the shipped
/// settings plus the demo's overrides, and ends with exit code 0 after forecasts came back. It guards against a
/// setting or validator change that leaves the demo's overrides invalid (the host then fails to start).
/// </summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public void The_demo_starts_forecasts_and_exits_cleanly()
    {
        var lines = new List<string>();
        var gate = new Lock();
        using var demo = new ChildProcess("forecaster.dll", ["demo", "--duration", "6", "--speed", "200"], onLine: line =>
        {
            lock (gate)
            {
                lines.Add(line);
            }
        });

        Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(120)), "the demo did not end within 120 s:\n" + demo.Tail);
        Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}:\n{demo.Tail}");
        string[] output;
        lock (gate)
        {
            output = [.. lines];
        }

        var final = Array.FindIndex(output, l => l == "Final:");
        Assert.True(final >= 0 && final + 1 < output.Length, "no final summary:\n" + demo.Tail);
        var summary = Summary().Match(output[final + 1]);
        Assert.True(summary.Success, "unexpected summary line: " + output[final + 1]);
        Assert.True(long.Parse(summary.Groups["forecasts"].Value, CultureInfo.InvariantCulture) > 0, output[final + 1]);
        Assert.Equal("0", summary.Groups["dead"].Value);
    }

    [GeneratedRegex(@"forecasts out\s+(?<forecasts>\d+)\s+dead letters\s+(?<dead>\d+)")]
    private static partial Regex Summary();
}
