using System.Diagnostics;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>
/// The real collectd (Debian's collectd-core) in the foreground as a child process: Interval 1, the cpu, load, memory and
/// interface plugins, write_kafka with Format JSON to the given broker, one topic with StoreRates false and one with
/// write_kafka's default (true). Its configuration is written to a temporary folder; it is killed on dispose.
/// Fails (never skips) when collectd or its write_kafka plugin is missing: .ci/run installs them.
/// </summary>
internal sealed class CollectdDaemon : IDisposable
{
    public const string Binary = "/usr/sbin/collectd";
    public const string PluginDir = "/usr/lib/collectd";
    public const string TypesDb = "/usr/share/collectd/types.db";
    public const string Hostname = "forecaster-test";

    private readonly Process _process;
    private readonly string _folder;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();

    public CollectdDaemon(string bootstrap, string rawTopic, string ratesTopic)
    {
        foreach (var path in new[] { Binary, Path.Combine(PluginDir, "write_kafka.so"), TypesDb })
        {
            Assert.True(File.Exists(path), $"collectd is not installed ({path} is missing): apt-get install collectd-core librdkafka1 libyajl2, as .ci/run does");
        }

        _folder = Directory.CreateTempSubdirectory("collectd-").FullName;
        var config = Path.Combine(_folder, "collectd.conf");
        File.WriteAllText(config, Config(bootstrap, rawTopic, ratesTopic, _folder) + "\n"); // collectd's parser wants a final newline
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(config);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        Assert.True(_process.Start(), "could not start " + Binary);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines collectd logged, for assertion messages.</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    public static string Config(string bootstrap, string rawTopic, string ratesTopic, string folder) => $"""
        Hostname "{Hostname}"
        FQDNLookup false
        Interval 1
        BaseDir "{folder}"
        PIDFile "{Path.Combine(folder, "collectd.pid")}"
        PluginDir "{PluginDir}"
        TypesDB "{TypesDb}"
        LoadPlugin logfile
        <Plugin logfile>
          LogLevel info
          File STDOUT
        </Plugin>
        LoadPlugin cpu
        LoadPlugin load
        LoadPlugin memory
        LoadPlugin interface
        LoadPlugin write_kafka
        <Plugin write_kafka>
          Property "metadata.broker.list" "{bootstrap}"
          <Topic "{rawTopic}">
            Format JSON
            StoreRates false
          </Topic>
          <Topic "{ratesTopic}">
            Format JSON
          </Topic>
        </Plugin>
        """;

    /// <summary>Kills collectd at once and waits for it to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(10)), "collectd did not exit when killed");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }
}
