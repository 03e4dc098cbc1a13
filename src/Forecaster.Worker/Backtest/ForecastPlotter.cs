using ScottPlot;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// Draws one series as a PNG: the last few seasons of its training part, the actual test values,
/// each method's forecast, and the band of methods that have one. Step 0 is the first forecast step.
/// </summary>
internal static class ForecastPlotter
{
    private const int Width = 1200;
    private const int Height = 500;

    /// <summary>Writes the plot of series <paramref name="index"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, BacktestSeries series, int index, IReadOnlyList<MethodResult> results, BacktestSettings settings)
    {
        int shown = Math.Min(series.Train.Length, Math.Max(3 * settings.Season, 2 * settings.Horizon));
        var plot = new Plot();
        try
        {
            double[] historyX = Steps(-shown, shown);
            double[] testX = Steps(0, series.Test.Length);
            var palette = new ScottPlot.Palettes.Category10();
            int colour = 1;
            foreach (var result in results)
            {
                var forecast = result.Forecasts[index];
                var color = palette.GetColor(colour++);
                if (forecast.HasBand)
                {
                    var band = plot.Add.FillY(testX, forecast.Lower!, forecast.Upper!);
                    band.FillColor = color.WithAlpha(0.2);
                    band.LineWidth = 0;
                    band.LegendText = $"{result.Method.DisplayName} band";
                }

                var line = plot.Add.ScatterLine(testX, forecast.Point);
                line.Color = color;
                line.LineWidth = 2;
                line.LegendText = result.Method.DisplayName;
            }

            var history = plot.Add.ScatterLine(historyX, series.Train[^shown..]);
            history.Color = Colors.Gray;
            history.LegendText = "history";
            var actual = plot.Add.ScatterLine(testX, series.Test);
            actual.Color = Colors.Black;
            actual.LineWidth = 2;
            actual.LegendText = "actual";
            plot.Add.VerticalLine(-0.5, 1, Colors.Gray.WithAlpha(0.6));
            plot.Title($"{series.Id}: last {shown} training points and {settings.Horizon} steps ahead");
            plot.XLabel("step relative to the forecast origin");
            plot.ShowLegend(Edge.Right);
            plot.SavePng(path, Width, Height);
        }
        finally
        {
            plot.Dispose();
        }
    }

    /// <summary>A file name for a series id: letters, digits, '-', '_' and '.' kept, the rest '_'.</summary>
    public static string FileName(string id, int index)
    {
        var safe = new string(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return $"{index + 1:D3}-{safe}.png";
    }

    private static double[] Steps(int start, int count) => Enumerable.Range(start, count).Select(i => (double)i).ToArray();
}
