namespace Forecaster.Worker.Hosting;

/// <summary>What <see cref="TopicCheck"/> found: failures (each one line; any stops start-up with exit code 2), warnings and the topics it created.</summary>
internal sealed class TopicCheckReport
{
    public List<string> Failures { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Created { get; } = [];
}
