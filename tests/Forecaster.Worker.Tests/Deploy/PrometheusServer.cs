using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// Debian's Prometheus server on a free loopback port with temporary storage, scraping one target
/// every second; killed (with its storage deleted) on dispose.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private PrometheusServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public HttpClient Http { get; }

    public static PrometheusServer Start(int targetPort)
    {
        var prometheus = ExternalTool.Require("prometheus", "prometheus");
        var folder = Directory.CreateTempSubdirectory("forecaster-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: forecaster
                metrics_path: {WorkerEndpoints.Metrics}
                static_configs:
                  - targets: ["127.0.0.1:{targetPort.ToString(CultureInfo.InvariantCulture)}"]
            """);
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(prometheus)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(folder, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusServer(process, folder, port);
    }

    /// <summary>The value of an instant query that returns one sample; null while it returns none.</summary>
    public async Task<double?> QueryAsync(string query)
    {
        Assert.False(_process.HasExited, $"prometheus exited with code {(_process.HasExited ? _process.ExitCode : 0)}");
        using var response = await Http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("success", body.RootElement.GetProperty("status").GetString());
        var result = body.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() switch
        {
            0 => null,
            1 => double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"{query} returned {result.GetArrayLength()} series"),
        };
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
