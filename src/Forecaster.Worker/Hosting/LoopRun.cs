using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Delivery;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>One run of the loop as <see cref="LoopAssembly"/> made it: the collaborators, and the clients to dispose (in reverse order of making) when it ends.</summary>
internal sealed class LoopRun : IDisposable
{
    private readonly Stack<IDisposable> _owned = new();

    public LoopServices Services { get; set; } = null!;

    public ICommitProtocol Protocol { get; set; } = null!;

    public RecordRouter Router { get; set; } = null!;

    public RestoreDriver Restores { get; set; } = null!;

    /// <summary>The periodic work, in the order it runs after each batch.</summary>
    public IPunctuator[] Punctuators { get; set; } = [];

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Push(disposable);
        return disposable;
    }

    public void Dispose()
    {
        while (_owned.TryPop(out var disposable))
        {
            disposable.Dispose();
        }
    }
}
