using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>What the worker refuses at start in the Profiles section beyond a rule that does not compile.</summary>
public class ProfilesOptionsValidatorTests
{
    [Fact]
    public void A_rule_step_under_seasons_in_time_is_one_line_and_in_steps_it_is_served()
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

        Assert.Equal(
            ["Profiles:Rules:0:Step cannot be set while Forecast:Seasons or Forecast:Horizon are durations: the shard's one model counts them in Series:StepSeconds steps (give Forecast:Season and Forecast:Horizons in steps, or leave the rule's Step out)."],
            inTime);
        Assert.Empty(inSteps);
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
