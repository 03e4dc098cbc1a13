using System.Globalization;
using System.Text.Json;

namespace Forecaster.Worker.Nab;

/// <summary>NAB's <c>labels/combined_windows.json</c>: file path (relative to NAB's data folder) → [start, end] timestamp pairs.</summary>
internal static class NabLabels
{
    /// <exception cref="FormatException">The file is not NAB's label format.</exception>
    public static Dictionary<string, List<(DateTime Start, DateTime End)>> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var labels = new Dictionary<string, List<(DateTime, DateTime)>>(StringComparer.Ordinal);
        foreach (var file in document.RootElement.EnumerateObject())
        {
            var windows = new List<(DateTime, DateTime)>();
            foreach (var pair in file.Value.EnumerateArray())
            {
                if (pair.GetArrayLength() != 2)
                {
                    throw new FormatException($"{path}: a window of {file.Name} is not a [start, end] pair.");
                }

                windows.Add((Parse(pair[0].GetString(), path), Parse(pair[1].GetString(), path)));
            }

            labels[file.Name] = windows;
        }

        return labels;
    }

    private static DateTime Parse(string? text, string path) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss.ffffff", NabFile.TimestampFormat], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)
            ? ts
            : throw new FormatException($"{path}: '{text}' is not a NAB timestamp.");
}
