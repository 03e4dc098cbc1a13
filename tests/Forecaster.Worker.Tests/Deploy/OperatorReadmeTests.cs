using System.Text.RegularExpressions;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>deploy/README.md documents every setting by its environment variable name, and every alert has a runbook section.</summary>
public partial class OperatorReadmeTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryFiles.Path("deploy", "README.md"));

    [Fact]
    public void Every_setting_of_every_options_class_is_in_the_configuration_reference()
    {
        var missing = OptionNames.Sections
            .SelectMany(s => OptionNames.Settable(s.Type).Select(p => $"{s.Section}__{p.Name}"))
            .Append(OptionNames.ShutdownTimeout)
            .Where(name => !Readme.Contains($"`{name}", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "deploy/README.md does not document: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_alert_has_a_runbook_section_its_runbook_url_points_to()
    {
        var rules = File.ReadAllText(RepositoryFiles.Path("deploy", "prometheus", "alerts.yml"));
        var alerts = AlertName().Matches(rules).Select(m => m.Groups[1].Value).ToList();
        Assert.True(alerts.Count >= 5);
        foreach (var alert in alerts)
        {
            Assert.Contains($"\n### {alert}\n", Readme, StringComparison.Ordinal);
            Assert.Contains($"runbook_url: \"deploy/README.md#{alert.ToLowerInvariant()}\"", rules, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();
}
