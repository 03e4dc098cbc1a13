using Forecaster.Testing;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>The Profiles section: rules tried in order, the first match wins, unset values come from the default profile.</summary>
public class ProfileSetTests
{
    private static ProfileSet Build(params ProfileRuleOptions[] rules) => Build(new ForecastOptions(), new SeriesOptions(), rules);

    private static ProfileSet Build(ForecastOptions forecast, SeriesOptions series, params ProfileRuleOptions[] rules)
    {
        var set = ProfileSet.TryBuild(new ProfilesOptions { Rules = rules }, forecast, series, out var problems);
        Assert.True(set is not null, string.Join("; ", problems));
        return set;
    }

    [Fact]
    public void The_first_matching_rule_wins_and_no_match_is_the_default()
    {
        var set = Build(
            new ProfileRuleOptions { Name = "checkout", Metric = "http_*", Labels = new() { ["service"] = "checkout" } },
            new ProfileRuleOptions { Name = "http", Metric = "http_*" },
            new ProfileRuleOptions { Name = "prod-nodes", Metric = "node_*", Labels = new() { ["env"] = "prod*", ["dc"] = "eu-?" } });

        Assert.Equal("checkout", set.Resolve("""http_requests_total{method="GET",service="checkout"}""").Name);
        Assert.Equal("http", set.Resolve("""http_requests_total{service="cart"}""").Name);
        Assert.Equal("http", set.Resolve("http_requests_total").Name);
        Assert.Equal("prod-nodes", set.Resolve("""node_load1{dc="eu-1",env="production"}""").Name);
        Assert.Equal("default", set.Resolve("""node_load1{dc="us-1",env="production"}""").Name);
        Assert.Equal("default", set.Resolve("cpu").Name);
        Assert.Equal([0, 1, 2, 3], set.Profiles.Select(p => p.Index));
    }

    [Fact]
    public void An_absent_label_is_the_empty_value_and_escapes_are_undone()
    {
        var set = Build(
            new ProfileRuleOptions { Name = "no-env", Labels = new() { ["env"] = "" } },
            new ProfileRuleOptions { Name = "quoted", Labels = new() { ["path"] = "/a\"b*" } });

        Assert.Equal("no-env", set.Resolve("""cpu{host="a"}""").Name);
        Assert.Equal("quoted", set.Resolve("""cpu{env="x",path="/a\"b\\c"}""").Name);
        Assert.Equal("default", set.Resolve("""cpu{env="x",path="/ab"}""").Name);
    }

    [Fact]
    public void Resolving_allocates_nothing()
    {
        var set = Build(
            new ProfileRuleOptions { Name = "a", Metric = "http_*", Labels = new() { ["service"] = "check*" } },
            new ProfileRuleOptions { Name = "b", Metric = "node_*", Labels = new() { ["env"] = "prod" } });
        var id = """node_load1{dc="eu-1",env="prod",host="h\"1"}""";
        Assert.Equal("b", set.Resolve(id).Name);

        var found = 0;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                found += set.Resolve(id).Index;
            }
        }));
        Assert.Equal(5 * 2000, found);
    }

    [Fact]
    public void The_default_profile_is_todays_forecast_and_series_settings()
    {
        var profile = Build().Default;

        Assert.Equal(("default", 0L, BucketAggregation.Mean, (MetricKind?)null), (profile.Name, profile.StepMs, profile.Aggregation, profile.Kind));
        Assert.Equal(new(24, 0, 12), profile.Plan(60_000));
        Assert.Equal(new(24, 0, 12), profile.Plan(300_000));
        Assert.Equal([0.1f, 0.5f, 0.9f], profile.QuantileLevels);
        Assert.False(profile.InTime);
    }

    [Fact]
    public void A_rule_sets_step_seasons_horizon_and_the_rest_and_inherits_what_it_leaves_out()
    {
        var set = Build(
            new ProfileRuleOptions
            {
                Name = "web",
                Metric = "http_*",
                Step = "5m",
                Aggregation = "max",
                Kind = "counter",
                Seasons = ["1d", "1w"],
                Horizon = "1h",
                QuantileLevels = [0.05f, 0.5f, 0.95f],
                TimeZone = "Europe/Berlin",
            },
            new ProfileRuleOptions { Name = "long", Metric = "m4_*", Horizon = "48h" });
        var web = set.Profiles[1];
        var longer = set.Profiles[2];

        Assert.Equal((0L, 300_000L, BucketAggregation.Max, (MetricKind?)MetricKind.Counter, "Europe/Berlin"), (web.StepMs, web.MinStepMs, web.Aggregation, web.Kind, web.Zone?.Name));
        Assert.Equal(new(288, 168, 12, 12), web.Plan(web.ModelStep(15_000)));
        Assert.Equal(3_600_000L, web.ModelStep(3_600_000)); // never finer than the raw spacing
        Assert.Equal([0.05f, 0.5f, 0.95f], web.QuantileLevels);

        Assert.Equal((0L, BucketAggregation.Mean, (string?)null), (longer.StepMs, longer.Aggregation, longer.Zone?.Name));
        Assert.Equal(new(24, 0, 48), longer.Plan(3_600_000)); // seasons in steps from the default, horizon in time
        Assert.Equal(new(24, 0, 576), longer.Plan(300_000));
    }

    [Fact]
    public void A_time_zone_moves_the_phase_with_daylight_saving()
    {
        var profile = Build(new ProfileRuleOptions { Name = "local", TimeZone = "Europe/Berlin" }).Profiles[1];
        var winterNoonUtc = DateTimeOffset.Parse("2026-01-15T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var summerNoonUtc = DateTimeOffset.Parse("2026-07-15T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

        Assert.Equal(13, LocalHour(winterNoonUtc + profile.Zone!.OffsetMs(winterNoonUtc)));
        Assert.Equal(14, LocalHour(summerNoonUtc + profile.Zone.OffsetMs(summerNoonUtc)));
        Assert.Null(Build().Default.Zone);
    }

    [Fact]
    public void Every_bad_value_is_one_line_naming_its_setting()
    {
        var set = ProfileSet.TryBuild(
            new ProfilesOptions
            {
                Rules =
                [
                    new() { Name = "a", Metric = "http_[", Labels = new() { ["env"] = @"prod\" } },
                    new() { Name = "b", Step = "5x", Horizon = "0s", Aggregation = "median", Kind = "histogram" },
                    new() { Name = "c", Step = "1h", Seasons = ["90m"], TimeZone = "Mars/Olympus", QuantileLevels = [0.9f, 0.1f] },
                    new() { Name = "A", Step = "7m" },
                    new() { Name = "default" },
                ],
            },
            new ForecastOptions(),
            new SeriesOptions(),
            out var problems);

        Assert.Null(set);
        Assert.Equal(
            [
                "Profiles:Rules:0:Metric is not a glob: 'http_[' has an unclosed [.",
                @"Profiles:Rules:0:Labels:env is not a glob: 'prod\' ends in a backslash.",
                "Profiles:Rules:1:Step '5x' is not a duration (a number of milliseconds, or time units such as 15s, 5m, 1h, 1d, 1w).",
                "Profiles:Rules:1:Aggregation must be mean, last, min, max or sum (was 'median').",
                "Profiles:Rules:1:Kind must be gauge or counter (was 'histogram').",
                "Profiles:Rules:1:Horizon must be from 1s to 366d (was '0s').",
                "Profiles:Rules:2:Seasons:0 (5400s) is not a whole number of steps of 3600s.",
                "Profiles:Rules:2:QuantileLevels must ascend strictly in (0, 1) and include 0.5 (was 0.9, 0.1).",
                "Profiles:Rules:2:TimeZone 'Mars/Olympus' is not a known time zone (an IANA name such as Europe/Berlin).",
                "Profiles:Rules:3:Step must be one of 1m, 5m, 10m, 15m, 30m, 1h, 1d (was '7m').",
                "Profiles:Rules:3:Name 'A' is used by an earlier rule.",
                "Profiles:Rules:4:Name is required and must not be 'default' (was 'default').",
            ],
            problems);
    }

    [Fact]
    public void A_bad_rule_stops_start_up_with_one_line_per_value()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "b:9092",
            ["Training:Enabled"] = "false",
            ["Profiles:Rules:0:Name"] = "web",
            ["Profiles:Rules:0:Metric"] = "http_*",
            ["Profiles:Rules:0:Labels:env"] = "prod",
            ["Profiles:Rules:0:Seasons:0"] = "1d",
            ["Profiles:Rules:1:Name"] = "bad",
            ["Profiles:Rules:1:TimeZone"] = "Nowhere/Else",
        }).Build();
        using var services = new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();

        var failures = Worker.Commands.RunCommand.InvalidSettings(Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate())!);

        Assert.Equal(
            [
                "Profiles:Rules:1:TimeZone 'Nowhere/Else' is not a known time zone (an IANA name such as Europe/Berlin).",
            ],
            failures);
        var bound = new ProfilesOptions();
        DurationBinding.Bind(configuration.GetSection(ProfilesOptions.Section), bound);
        Assert.Equal(("web", "prod", "1d"), (bound.Rules![0].Name, Assert.Single(bound.Rules[0].Labels!).Value, Assert.Single(bound.Rules[0].Seasons!)));
    }

    private static int LocalHour(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.Hour;
}
