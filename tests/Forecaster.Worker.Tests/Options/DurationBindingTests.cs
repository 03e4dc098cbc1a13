using Forecaster.Worker.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Options;

/// <summary>The worker's duration settings take time units, keep their bare numbers, and refuse the rest at start, one line each.</summary>
public class DurationBindingTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Prepend(new("Kafka:BootstrapServers", "b:9092")))
            .Build();
        return new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Time_units_reach_the_options_in_their_plain_units()
    {
        using var services = Services(
            ("State:CheckpointIntervalSeconds", "1m"), ("State:CheckpointChunkMilliseconds", "50ms"), ("Kafka:SessionTimeoutMs", "45s"),
            ("Series:StepSeconds", "5m"), ("Training:Interval", "10m"), ("Ingest:MaxAgeSeconds", "1w"), ("Http:HealthStallSeconds", "2m"),
            ("shutdownTimeoutSeconds", "1m5s"));
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(60, services.GetRequiredService<IOptions<StateOptions>>().Value.CheckpointIntervalSeconds);
        Assert.Equal(50, services.GetRequiredService<IOptions<StateOptions>>().Value.CheckpointChunkMilliseconds);
        Assert.Equal(45_000, services.GetRequiredService<IOptions<KafkaOptions>>().Value.SessionTimeoutMs);
        Assert.Equal(300, services.GetRequiredService<IOptions<SeriesOptions>>().Value.StepSeconds);
        Assert.Equal(600, services.GetRequiredService<IOptions<TrainingOptions>>().Value.Interval);
        Assert.Equal(604_800, services.GetRequiredService<IOptions<IngestOptions>>().Value.MaxAgeSeconds);
        Assert.Equal(120, services.GetRequiredService<IOptions<HttpOptions>>().Value.HealthStallSeconds);
        Assert.Equal(TimeSpan.FromSeconds(65), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout); // the .NET host alone would keep 30 s
    }

    [Fact]
    public void Bare_numbers_keep_their_old_unit_and_other_settings_bind_as_before()
    {
        using var services = Services(("State:CheckpointIntervalSeconds", "45"), ("Kafka:FlushTimeoutMs", "2500"), ("Forecast:QuantileLevels:0", "0.25"),
            ("Forecast:QuantileLevels:1", "0.5"), ("Kafka:Client:linger.ms", "7"));
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(45, services.GetRequiredService<IOptions<StateOptions>>().Value.CheckpointIntervalSeconds);
        Assert.Equal(2500, services.GetRequiredService<IOptions<KafkaOptions>>().Value.FlushTimeoutMs);
        Assert.Equal([0.25f, 0.5f], services.GetRequiredService<IOptions<ForecastOptions>>().Value.Levels);
        Assert.Equal("7", services.GetRequiredService<IOptions<KafkaOptions>>().Value.Client["linger.ms"]);
    }

    [Fact]
    public void Each_bad_duration_is_one_clear_line_naming_its_setting()
    {
        using var services = Services(("State:CheckpointIntervalSeconds", "30 sec"), ("State:HeldPointMaxSeconds", "1500ms"), ("Kafka:FlushTimeoutMs", "1.5ms"), ("shutdownTimeoutSeconds", "25 secs"));

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failures = Worker.Commands.RunCommand.InvalidSettings(error!);
        Assert.Equal(4, failures.Count); // the Kafka section, which reads the State section, reports only its own
        Assert.Contains(failures, f => f.StartsWith("State:CheckpointIntervalSeconds '30 sec' is not a duration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:HeldPointMaxSeconds '1500ms' is not a whole number of seconds", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka:FlushTimeoutMs '1.5ms' is not a whole number of milliseconds", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("shutdownTimeoutSeconds '25 secs' is not a duration", StringComparison.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain('\n', f));
    }

    [Theory]
    [InlineData("config/appsettings.json")]
    [InlineData("deploy/k8s/base/appsettings.json")]
    public void The_shipped_configurations_still_bind(string path)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Deploy.RepositoryFiles.Path(path.Split('/')))
            .AddInMemoryCollection([new("Kafka:BootstrapServers", "b:9092")]).Build();
        using var services = new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(30, services.GetRequiredService<IOptions<StateOptions>>().Value.CheckpointIntervalSeconds);
        Assert.Equal(TimeSpan.FromSeconds(25), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }
}
