using System.Diagnostics;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// Runs a command-line tool CI installs (kubectl, promtool, prometheus). A missing tool fails the
/// test with the install command: these checks must never be skipped silently.
/// </summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Describe() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>The tool's full path; fails the test when it is not on PATH.</summary>
    public static string Require(string tool, string package)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(folder, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{tool}' is not on PATH. Install it with: apt-get install -y {package} (.ci/run does this before the build).");
        return tool;
    }

    /// <summary>Runs the tool to completion (at most <paramref name="timeoutSeconds"/>), feeding <paramref name="input"/> on stdin.</summary>
    public static Result Run(string path, IEnumerable<string> arguments, string? input = null, string? workingDirectory = null, int timeoutSeconds = 30)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryFiles.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{path} {string.Join(' ', start.ArgumentList)} did not finish within {timeoutSeconds} s");
        }

        return new Result(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
