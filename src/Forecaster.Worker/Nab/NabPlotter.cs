using ScottPlot;

namespace Forecaster.Worker.Nab;

/// <summary>One PNG per NAB file: the values, the one-step band the worker gave, the label windows, the likelihood and the events.</summary>
internal static class NabPlotter
{
    public static void Save(string path, NabDetection detection, double threshold)
    {
        var file = detection.File;
        var x = Enumerable.Range(0, file.Rows).Select(i => (double)i).ToArray();
        var plot = new Plot();
        try
        {
            foreach (var window in file.Windows)
            {
                var span = plot.Add.HorizontalSpan(window.First, window.Last);
                span.FillColor = Colors.Orange.WithAlpha(0.25);
                span.LineWidth = 0;
            }

            var band = plot.Add.FillY(x, Finite(detection.Trace.Lower), Finite(detection.Trace.Upper));
            band.FillColor = Colors.SteelBlue.WithAlpha(0.25);
            band.LineWidth = 0;
            band.LegendText = "one-step band";
            var values = plot.Add.ScatterLine(x, file.Values);
            values.Color = Colors.Black;
            values.LegendText = "value";
            var events = detection.Events(threshold);
            var min = file.Values.Min();
            var max = file.Values.Max();
            foreach (var row in Enumerable.Range(0, file.Rows).Where(i => events[i]))
            {
                var line = plot.Add.VerticalLine(row, 2, Colors.Red);
                line.LinePattern = LinePattern.Dashed;
            }

            var likelihood = plot.Add.ScatterLine(x, detection.Trace.Likelihoods.Select(l => min + (l * (max - min))).ToArray());
            likelihood.Color = Colors.Green.WithAlpha(0.6);
            likelihood.LegendText = "likelihood (scaled to the value range)";
            plot.Add.VerticalLine(NabScorer.ProbationaryLength(file.Rows), 1, Colors.Gray);
            plot.Title($"{file.Path}: windows (orange), events at {threshold:0.###} (red), probation ends (grey)");
            plot.XLabel("row");
            plot.ShowLegend(Edge.Bottom);
            plot.SavePng(path, 1600, 600);
        }
        finally
        {
            plot.Dispose();
        }
    }

    private static double[] Finite(double[] values)
    {
        var copy = (double[])values.Clone();
        var last = 0.0;
        for (var i = 0; i < copy.Length; i++)
        {
            last = double.IsFinite(copy[i]) ? copy[i] : last;
            copy[i] = last;
        }

        return copy;
    }
}
