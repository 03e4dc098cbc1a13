using Forecaster.Core.Anomaly;

namespace Forecaster.Worker.Nab;

/// <summary>
/// What the worker published for each row of one NAB file: the likelihood, the surprise direction (0: not
/// scored), whether the series was warming up, the anomaly event, and the one-step band it was given
/// (for plots). Rows the worker refused (repeated or backward timestamps) were never published.
/// </summary>
internal sealed class NabDetection(NabFile file, ForecastTrace trace, long stepSeconds, int season, int refused)
{
    public NabFile File => file;

    public ForecastTrace Trace => trace;

    public long StepSeconds => stepSeconds;

    public int Season => season;

    /// <summary>Rows the worker's timeline refused (reported, not published).</summary>
    public int Refused => refused;

    /// <summary>
    /// The events the worker would have published at <paramref name="threshold"/>: the same
    /// <see cref="AnomalyEvent"/> run over the published likelihoods.
    /// </summary>
    public bool[] Events(double threshold)
    {
        var events = new bool[file.Rows];
        var state = default(AnomalyState);
        for (var i = 0; i < file.Rows; i++)
        {
            if (trace.Published[i] && trace.Directions[i] != 0)
            {
                events[i] = AnomalyEvent.Next(ref state, trace.Likelihoods[i], trace.Directions[i], threshold, !trace.WarmingUp[i]) != 0;
            }
        }

        return events;
    }
}

/// <summary>Per-row arrays of what was published.</summary>
internal sealed class ForecastTrace(int rows)
{
    public bool[] Published { get; } = new bool[rows];
    public double[] Likelihoods { get; } = new double[rows];
    public int[] Directions { get; } = new int[rows];
    public bool[] WarmingUp { get; } = new bool[rows];
    public int[] Events { get; } = new int[rows];
    public double[] Lower { get; } = Fill(rows);
    public double[] Median { get; } = Fill(rows);
    public double[] Upper { get; } = Fill(rows);

    private static double[] Fill(int rows)
    {
        var values = new double[rows];
        values.AsSpan().Fill(double.NaN);
        return values;
    }
}
