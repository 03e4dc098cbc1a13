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

    public void Dispose() => _process.Dispose();
}
