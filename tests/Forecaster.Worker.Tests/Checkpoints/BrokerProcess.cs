namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>The mock Kafka cluster in a process of its own (tests/Forecaster.MockBroker), so worker processes can be killed around it.</summary>
internal sealed class BrokerProcess : IDisposable
{
    private readonly ChildProcess _process;

    public BrokerProcess()
    {
        var bootstrap = new TaskCompletionSource<string>();
        _process = new ChildProcess("Forecaster.MockBroker.dll", [], onLine: line =>
        {
            if (line.StartsWith("bootstrap=", StringComparison.Ordinal))
            {
                bootstrap.TrySetResult(line["bootstrap=".Length..]);
            }
        });
        Assert.True(bootstrap.Task.Wait(TimeSpan.FromSeconds(30)), "the mock broker did not start: " + _process.Tail);
        BootstrapServers = bootstrap.Task.Result;
    }

    public string BootstrapServers { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGSTOP: the broker stops answering, its connections and data stay (a broker outage).</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT: the broker answers again.</summary>
    public void Resume() => Signal("-CONT");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Resume();
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.WaitForExit(10_000) && kill.ExitCode == 0, $"kill {signal} failed");
    }
}
