using System.Globalization;
using System.Text;

namespace Forecaster.Worker.Nab;

/// <summary>Per-row results of one file: what was published for each row, its window (−1 none, −2 probationary) and the event at the threshold.</summary>
internal static class NabRowsCsv
{
    public static void Write(string path, NabDetection detection, double threshold)
    {
        var file = detection.File;
        var trace = detection.Trace;
        var plan = NabScorer.Plan(file.Rows, file.Windows, NabProfile.Standard);
        var events = detection.Events(threshold);
        var text = new StringBuilder("row,timestamp,value,lower,median,upper,published,warming_up,likelihood,direction,window,event\n");
        for (var i = 0; i < file.Rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{i},{file.Timestamps[i]:yyyy-MM-dd HH:mm:ss},{file.Values[i]:R},{trace.Lower[i]:G6},{trace.Median[i]:G6},{trace.Upper[i]:G6},{(trace.Published[i] ? 1 : 0)},{(trace.WarmingUp[i] ? 1 : 0)},{trace.Likelihoods[i]:F4},{trace.Directions[i]},{plan.WindowOf(i)},{(events[i] ? 1 : 0)}\n");
        }

        File.WriteAllText(path, text.ToString());
    }
}
