using System.CommandLine;
using System.Globalization;
using System.Text;
using Forecaster.Core.Checkpoints;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Commands;

namespace Forecaster.Worker.Tests.Pretrain;

/// <summary><c>forecaster pretrain</c>: a model of the asked shape, the same bytes for the same inputs and seed, training parts only.</summary>
public sealed class PretrainCommandTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("pretrain-test-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Writes_a_readable_model_of_the_asked_shape_and_the_same_bytes_twice()
    {
        var train = WriteWideTrain();
        var first = Path.Combine(folder.FullName, "a.fcmodel");
        var second = Path.Combine(folder.FullName, "b.fcmodel");

        var (exit, output, _) = Invoke("--train", train, "--horizon", "6", "--season", "12", "--weekly", "0", "--hidden", "8", "--steps", "15", "--out", first);
        Invoke("--train", train, "--horizon", "6", "--season", "12", "--weekly", "0", "--hidden", "8", "--steps", "15", "--out", second);

        Assert.Equal(BacktestRun.Success, exit);
        Assert.Contains("15 steps", output, StringComparison.Ordinal);
        using var stream = File.OpenRead(first);
        var model = ModelSerializer.Read(stream);
        Assert.Equal((8, 6, 3), (model.Shape.HiddenSize, model.Shape.Horizons, model.Shape.Quantiles));
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Another_seed_gives_another_model()
    {
        var train = WriteWideTrain();
        var first = Path.Combine(folder.FullName, "a.fcmodel");
        var second = Path.Combine(folder.FullName, "b.fcmodel");

        Invoke("--train", train, "--horizon", "6", "--season", "12", "--hidden", "8", "--steps", "5", "--out", first);
        Invoke("--train", train, "--horizon", "6", "--season", "12", "--hidden", "8", "--steps", "5", "--seed", "2", "--out", second);

        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void No_input_is_a_usage_error_and_writes_nothing()
    {
        var model = Path.Combine(folder.FullName, "a.fcmodel");
        var (exit, _, error) = Invoke("--out", model);

        Assert.Equal(BacktestRun.UsageError, exit);
        Assert.Contains("--train", error, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { PretrainCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = root.Parse(["pretrain", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>An M4-style wide training file: three series of 120 values (a 12-step wave), one padded shorter.</summary>
    private string WriteWideTrain()
    {
        var csv = new StringBuilder("\"V1\"");
        for (var c = 2; c <= 121; c++)
        {
            csv.Append(CultureInfo.InvariantCulture, $",\"V{c}\"");
        }

        csv.Append('\n');
        for (var s = 0; s < 3; s++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"\"H{s + 1}\"");
            var length = s == 2 ? 100 : 120;
            for (var t = 0; t < 120; t++)
            {
                var value = (20 + (5 * s)) * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 12)));
                csv.Append(t < length ? string.Create(CultureInfo.InvariantCulture, $",\"{value:R}\"") : ",");
            }

            csv.Append('\n');
        }

        var path = Path.Combine(folder.FullName, "train.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }
}
