using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>What the worker refuses at start in the Profiles section beyond a rule that does not compile.</summary>
public class ProfilesOptionsValidatorTests
{
    [Fact]
    public void A_rule_step_under_seasons_in_time_is_served_and_a_horizon_of_too_many_steps_is_one_line()
    {
        var inTime = Failures(new()
        {
            ["Series:StepSeconds"] = "300",
            ["Forecast:Seasons:0"] = "1d",
            ["Forecast:Horizon"] = "1h",
            ["Forecast:WarmupPoints"] = "288", // a season of 288 five-minute steps
            ["Profiles:Rules:0:Name"] = "slow",
            ["Profiles:Rules:0:Metric"] = "batch_*",
            ["Profiles:Rules:0:Step"] = "1h",
        });
        var inSteps = Failures(new()
        {
            ["Series:StepSeconds"] = "0",
            ["Forecast:Season"] = "24",
            ["Forecast:Horizons"] = "12",
            ["Profiles:Rules:0:Name"] = "slow",
            ["Profiles:Rules:0:Metric"] = "batch_*",
            ["Profiles:Rules:0:Step"] = "1h",
        });
        var tooFar = Failures(new()
        {
            ["Series:MinStep"] = "5m",
            ["Forecast:Seasons:0"] = "1d",
            ["Forecast:Horizon"] = "1h",
            ["Profiles:Rules:0:Name"] = "fine",
            ["Profiles:Rules:0:Metric"] = "batch_*",
            ["Profiles:Rules:0:Step"] = "1m",
            ["Profiles:Rules:0:Horizon"] = "30d",
        });

        Assert.Empty(inTime);
        Assert.Empty(inSteps);
        Assert.Equal(["Profiles:Rules:0 (fine): at a step of 00:01:00 the horizon is 43200 steps (at most 1000)."], tooFar);
    }

    private static List<string> Failures(Dictionary<string, string?> settings)
    {
        settings["Kafka:BootstrapServers"] = "b:9092";
        settings["Training:Enabled"] = "false";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();
        var failure = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());
        return failure is null ? [] : Worker.Commands.RunCommand.InvalidSettings(failure);
    }
}
