namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile's key properties (no Docker engine runs here or in CI, so the image itself
/// is not built by the tests): multi-stage, non-root, the config port, the run command.
/// </summary>
public class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepositoryFiles.Path("deploy", "Dockerfile"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public void It_builds_with_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.Contains("dotnet/aspnet:", stages[1], StringComparison.Ordinal);
        Assert.Contains(Lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_project_the_worker_builds_from_is_copied_before_the_restore()
    {
        var restore = Array.FindIndex(Lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var worker = System.Xml.Linq.XDocument.Load(RepositoryFiles.Path("src", "Forecaster.Worker", "Forecaster.Worker.csproj"));
        var projects = worker.Descendants("ProjectReference")
            .Select(r => "src/" + r.Attribute("Include")!.Value.Replace('\\', '/').Replace("../", "", StringComparison.Ordinal))
            .Append("src/Forecaster.Worker/Forecaster.Worker.csproj")
            .ToList();
        foreach (var project in projects)
        {
            var copy = Array.FindIndex(Lines, l => l.StartsWith($"COPY {project} ", StringComparison.Ordinal));
            Assert.True(copy >= 0 && copy < restore, $"deploy/Dockerfile must COPY {project} before 'RUN dotnet restore'");
        }

        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            var copy = Array.FindIndex(Lines, l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Split(' ').Contains(file));
            Assert.True(copy >= 0 && copy < restore, $"deploy/Dockerfile must COPY {file} before 'RUN dotnet restore'");
        }
    }

    [Fact]
    public void The_final_stage_runs_as_a_numeric_non_root_user()
    {
        var user = Lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        var uid = int.Parse(user.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, uid);
        Assert.True(Array.FindLastIndex(Lines, l => l.StartsWith("USER ", StringComparison.Ordinal))
            > Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal)), "USER must be set in the runtime stage");
    }

    [Fact]
    public void It_exposes_Http_Port_bakes_config_and_runs_the_run_command()
    {
        Assert.Equal($"EXPOSE {RepositoryFiles.HttpPort()}", Lines.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)));
        Assert.Contains("COPY config/appsettings.json ./appsettings.json", Lines);
        Assert.Equal("ENTRYPOINT [\"/app/forecaster\", \"run\"]", Lines.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)));
        Assert.Contains(Lines, l => l.StartsWith("WORKDIR /app", StringComparison.Ordinal));
    }
}
