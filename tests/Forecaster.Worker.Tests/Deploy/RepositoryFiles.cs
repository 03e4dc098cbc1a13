using System.Text.Json;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>Paths in the checkout (the folder holding Forecaster.sln, found above the test binaries).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>config/appsettings.json, the configuration the image bakes and the ConfigMap carries.</summary>
    public static JsonElement Config() => JsonDocument.Parse(File.ReadAllText(Path("config", "appsettings.json"))).RootElement.Clone();

    public static int HttpPort() => Config().GetProperty("Http").GetProperty("Port").GetInt32();

    public static int ShutdownTimeoutSeconds() => Config().GetProperty("shutdownTimeoutSeconds").GetInt32();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Forecaster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException($"No Forecaster.sln above {AppContext.BaseDirectory}.");
    }
}
