namespace Forecaster.Worker.Checkpoints;

/// <summary>A state record was refused; the message names the state topic partition and offset. Nothing was applied.</summary>
internal sealed class StateRestoreException : Exception
{
    public StateRestoreException(string message, long highestSequence, Exception? inner = null)
        : base(message, inner)
    {
        HighestSequence = highestSequence;
    }

    public StateRestoreException()
    {
    }

    public StateRestoreException(string message)
        : base(message)
    {
    }

    public StateRestoreException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The highest checkpoint sequence seen in the partition, so the next checkpoint supersedes everything.</summary>
    public long HighestSequence { get; }

    /// <summary>The series keys of the refused state: the next (full) checkpoint tombstones those it does not rewrite.</summary>
    public IReadOnlyList<string> Orphans { get; init; } = [];
}
