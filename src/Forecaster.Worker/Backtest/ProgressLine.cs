using System.Diagnostics;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// One progress line on stderr, rewritten in place with a carriage return: at most one update a
/// second plus the final count of each stage, so a long run prints a few lines, not one per series.
/// </summary>
internal sealed class ProgressLine(TextWriter writer)
{
    private static readonly long Interval = Stopwatch.Frequency;

    private string? stage;
    private long lastWrite;

    /// <summary>A progress line that prints nothing (tests, quiet runs).</summary>
    public static ProgressLine Silent { get; } = new(TextWriter.Null);

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/> units of <paramref name="stageName"/>.</summary>
    public void Report(string stageName, int done, int total)
    {
        long now = Stopwatch.GetTimestamp();
        if (stageName != stage)
        {
            Finish();
            stage = stageName;
            lastWrite = now;
        }
        else if (done < total && now - lastWrite < Interval)
        {
            return;
        }

        if (done >= total || now - lastWrite >= Interval)
        {
            lastWrite = now;
            writer.Write($"\rbacktest: {stageName} {done}/{total}   ");
            writer.Flush();
        }
    }

    /// <summary>Ends the current line, if any.</summary>
    public void Finish()
    {
        if (stage is not null)
        {
            writer.WriteLine();
            stage = null;
        }
    }
}
