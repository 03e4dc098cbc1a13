using System.Text;

namespace Forecaster.Worker.Backtest;

/// <summary>Splits one CSV line into cells: comma-separated, cells optionally in double quotes with "" for a quote.</summary>
internal static class CsvRow
{
    /// <returns>The cells, or null when a quoted cell is not closed on this line.</returns>
    public static List<string>? Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        int i = 0;
        while (true)
        {
            cell.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i = ReadQuoted(line, i + 1, cell);
                if (i < 0)
                {
                    return null;
                }
            }

            while (i < line.Length && line[i] != ',')
            {
                cell.Append(line[i++]);
            }

            cells.Add(cell.ToString());
            if (i >= line.Length)
            {
                return cells;
            }

            i++;
        }
    }

    /// <summary>Reads a quoted cell's content from after its opening quote; returns the index after the closing quote, or -1.</summary>
    private static int ReadQuoted(string line, int i, StringBuilder cell)
    {
        while (i < line.Length)
        {
            if (line[i] != '"')
            {
                cell.Append(line[i++]);
            }
            else if (i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i += 2;
            }
            else
            {
                return i + 1;
            }
        }

        return -1;
    }
}
