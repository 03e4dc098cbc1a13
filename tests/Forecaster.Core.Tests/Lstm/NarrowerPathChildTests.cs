using System.Diagnostics;
using System.Text.RegularExpressions;
using Forecaster.Core.Lstm;
using Xunit.Abstractions;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// On an AVX-512 machine the AVX2 path is what <see cref="KernelDispatch"/> selects only when the runtime is
/// told not to use AVX-512, so the kernel-versus-reference tests of this folder and the trainer's and Adam's
/// tests run again in a child
/// <c>dotnet test</c> started with AVX-512 switched off, where they see AVX2 as the widest path and the
/// default-path code (<c>KernelDispatch.Selected</c>) runs AVX2. On other machines there is nothing to re-run.
/// .NET 10 reads <c>DOTNET_EnableAVX512=0</c> and ignores the older <c>DOTNET_EnableAVX512F=0</c> (checked on
/// .NET 10.0.4xx: with only the latter, Avx512F.IsSupported stays true), so the child gets both.
/// </summary>
public partial class NarrowerPathChildTests(ITestOutputHelper output)
{
    private const string ExpectVariable = "FORECASTER_TEST_EXPECT_KERNEL_PATH";

    [Fact]
    public void The_selected_path_is_the_one_the_child_was_started_for()
    {
        var expected = Environment.GetEnvironmentVariable(ExpectVariable);
        output.WriteLine(KernelDispatch.Describe());
        if (expected is not null)
        {
            Assert.Equal(Enum.Parse<KernelPath>(expected), KernelDispatch.Selected);
        }
    }

    [Fact]
    public async Task Lstm_kernel_tests_pass_in_a_child_without_AVX512()
    {
        if (KernelDispatch.Selected != KernelPath.Avx512 || Environment.GetEnvironmentVariable(ExpectVariable) is not null)
        {
            return; // no AVX-512 here (or already the child): the in-process theories cover every path
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
        {
            "test", typeof(NarrowerPathChildTests).Assembly.Location,
            "--filter",
            "(FullyQualifiedName~Forecaster.Core.Tests.Lstm|FullyQualifiedName~Forecaster.Core.Tests.Training.Tbptt|FullyQualifiedName~Forecaster.Core.Tests.Training.Adam)"
                + "&FullyQualifiedName!~Lstm_kernel_tests_pass_in_a_child",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_EnableAVX512F"] = "0";
        start.Environment["DOTNET_EnableAVX512"] = "0";
        start.Environment[ExpectVariable] = nameof(KernelPath.Avx2);
        using var child = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stderr = child.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = await child.StandardOutput.ReadToEndAsync(timeout.Token);
        await child.WaitForExitAsync(timeout.Token);
        output.WriteLine(stdout);
        output.WriteLine(await stderr);
        Assert.Equal(0, child.ExitCode);
        var summary = Summary().Match(stdout);
        Assert.True(summary.Success, "no test summary in the child's output");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 50, $"only {summary.Groups["passed"].Value} tests ran in the child");
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+),\s+Passed:\s+(?<passed>\d+)")]
    private static partial Regex Summary();
}
