using System.Globalization;

namespace Forecaster.Core.Tests.TestData;

/// <summary>The M4 Hourly training and test parts, read with a minimal parser for these two files.</summary>
public sealed class M4Hourly
{
    private static readonly Lazy<M4Hourly> Shared = new(Load);

    private M4Hourly(IReadOnlyList<string> ids, IReadOnlyList<double[]> train, IReadOnlyList<double[]> test)
    {
        Ids = ids;
        Train = train;
        Test = test;
    }

    public const int Horizon = 48;

    public const int Period = 24;

    public IReadOnlyList<string> Ids { get; }

    public IReadOnlyList<double[]> Train { get; }

    public IReadOnlyList<double[]> Test { get; }

    public static M4Hourly Instance => Shared.Value;

    /// <summary>shared/data beside the folder that holds Forecaster.sln.</summary>
    public static string DataDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Forecaster.sln")))
        {
            directory = directory.Parent;
        }

        if (directory?.Parent is null)
        {
            throw new DirectoryNotFoundException($"No Forecaster.sln above {AppContext.BaseDirectory}.");
        }

        return Path.Combine(directory.Parent.FullName, "shared", "data");
    }

    private static M4Hourly Load()
    {
        string folder = Path.Combine(DataDirectory(), "m4-hourly");
        var (ids, train) = ReadRows(Path.Combine(folder, "train.csv"));
        var (testIds, test) = ReadRows(Path.Combine(folder, "test.csv"));
        if (!ids.SequenceEqual(testIds))
        {
            throw new InvalidDataException("train.csv and test.csv list different series.");
        }

        return new M4Hourly(ids, train, test);
    }

    /// <summary>Rows after the header: quoted id, then quoted values, then empty padding fields.</summary>
    private static (List<string> Ids, List<double[]> Rows) ReadRows(string path)
    {
        var ids = new List<string>();
        var rows = new List<double[]>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] cells = line.Split(',');
            ids.Add(cells[0].Trim('"'));
            rows.Add(cells.Skip(1)
                .Where(cell => cell.Length > 0)
                .Select(cell => double.Parse(cell.Trim('"'), CultureInfo.InvariantCulture))
                .ToArray());
        }

        return (ids, rows);
    }
}
