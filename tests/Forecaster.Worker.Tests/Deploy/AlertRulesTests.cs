using System.Text.Json;
using System.Text.RegularExpressions;
using Forecaster.Worker.Observability;
using Prometheus;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// deploy/prometheus/alerts.yml passes promtool's checks and unit tests, and the alerts and the
/// Grafana dashboard only use metrics the worker exports.
/// </summary>
public partial class AlertRulesTests
{
    [Fact]
    public void Promtool_accepts_the_rules()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = ExternalTool.Run(promtool, ["check", "rules", RepositoryFiles.Path("deploy", "prometheus", "alerts.yml")]);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rule_unit_tests_pass()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = ExternalTool.Run(promtool, ["test", "rules", "alerts.test.yml"], workingDirectory: RepositoryFiles.Path("deploy", "prometheus"));
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("SUCCESS", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_and_dashboard_use_only_metrics_the_worker_exports()
    {
        var exported = ExportedNames();
        var sources = new[]
        {
            File.ReadAllText(RepositoryFiles.Path("deploy", "prometheus", "alerts.yml")),
            File.ReadAllText(RepositoryFiles.Path("deploy", "grafana", "forecaster-dashboard.json")),
        };
        var used = sources.SelectMany(s => MetricName().Matches(s).Select(m => m.Value)).ToHashSet();
        Assert.NotEmpty(used);
        var unknown = used.Where(n => !exported.Contains(n)).Order().ToList();
        Assert.True(unknown.Count == 0, "not exported by ForecasterMetrics: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_dashboard_is_grafana_json_with_a_query_in_every_panel()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("deploy", "grafana", "forecaster-dashboard.json")));
        var root = dashboard.RootElement;
        Assert.Equal("forecaster-worker", root.GetProperty("uid").GetString());
        Assert.True(root.GetProperty("schemaVersion").GetInt32() > 30);
        var panels = root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();
        Assert.True(panels.Count >= 12);
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels)
        {
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
            Assert.All(panel.GetProperty("targets").EnumerateArray(), t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString())));
            var grid = panel.GetProperty("gridPos");
            Assert.True(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32() <= 24);
        }
    }

    /// <summary>Sample names of every metric ForecasterMetrics creates (histograms add _bucket, _sum, _count).</summary>
    private static HashSet<string> ExportedNames()
    {
        var metrics = new ForecasterMetrics(new CollectorRegistry());
        var names = new HashSet<string>();
        foreach (var property in typeof(ForecasterMetrics).GetProperties())
        {
            if (property.GetValue(metrics) is Collector collector)
            {
                names.Add(collector.Name);
                if (collector is Histogram)
                {
                    names.UnionWith([collector.Name + "_bucket", collector.Name + "_sum", collector.Name + "_count"]);
                }
            }
        }

        return names;
    }

    [GeneratedRegex("forecaster_[a-z_]+[a-z]")]
    private static partial Regex MetricName();
}
