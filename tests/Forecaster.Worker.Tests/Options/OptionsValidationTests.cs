using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Options;

public class OptionsValidationTests
{
    private static void Validate(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Defaults_with_a_broker_are_valid() => Validate(("Kafka:BootstrapServers", "localhost:9092"));

    [Fact]
    public void A_fetch_ahead_setting_that_is_not_a_bool_stops_start_up_with_one_line_naming_it()
    {
        var error = Assert.IsType<InvalidOperationException>(Record.Exception(() => Validate(("Kafka:BootstrapServers", "b:9092"), ("Kafka:FetchAhead", "maybe"))));

        Assert.StartsWith("Failed to convert configuration value", error.Message, StringComparison.Ordinal); // the form RunCommand prints as one line
        Assert.Contains("Kafka:FetchAhead", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("Kafka:BootstrapServers", "")]
    [InlineData("Kafka:GroupId", " ")]
    [InlineData("Kafka:InputTopic", "")]
    [InlineData("Kafka:ForecastTopic", "")]
    [InlineData("Kafka:DeadLetterTopic", "")]
    [InlineData("Kafka:MaxBatchRecords", "0")]
    [InlineData("Kafka:AutoCommitIntervalMs", "0")]
    [InlineData("Kafka:FlushTimeoutMs", "-1")]
    [InlineData("Kafka:Client:enable.auto.offset.store", "true")]
    [InlineData("Http:Port", "70000")]
    [InlineData("Http:HealthStallSeconds", "0")]
    [InlineData("Forecast:Horizons", "0")]
    [InlineData("Forecast:HiddenSize", "0")]
    [InlineData("Forecast:Season", "0")]
    [InlineData("Forecast:WarmupPoints", "2")]
    [InlineData("Forecast:HistoryCapacity", "3")]
    [InlineData("Forecast:HistoryCapacity", "80")]
    [InlineData("Forecast:LevelSmoothing", "1.5")]
    [InlineData("Forecast:ModelName", "")]
    [InlineData("Series:MaxSeriesPerShard", "0")]
    [InlineData("Series:StepSeconds", "-5")]
    [InlineData("Series:StepLearningPoints", "1")]
    [InlineData("Series:ReorderWindowSteps", "100")]
    [InlineData("Series:MaxGapSteps", "-1")]
    [InlineData("Series:MaxBatchSeries", "0")]
    [InlineData("Series:MinStep", "2d")]
    [InlineData("Series:MinStep", "5x")]
    [InlineData("Series:Aggregation", "median")]
    [InlineData("Ingest:MaxSeriesIdLength", "2")]
    [InlineData("Ingest:MaxLabels", "-1")]
    [InlineData("Ingest:MaxFutureSkewSeconds", "-1")]
    [InlineData("Ingest:MaxAgeSeconds", "-1")]
    [InlineData("Ingest:DefaultFormat", "Bogus")]
    [InlineData("Anomaly:Threshold", "0")]
    [InlineData("Anomaly:Threshold", "1.5")]
    public void An_invalid_setting_fails_with_a_message_naming_it(string key, string value)
    {
        (string, string)[] settings = key == "Kafka:BootstrapServers" ? [(key, value)] : [("Kafka:BootstrapServers", "localhost:9092"), (key, value)];

        var error = Record.Exception(() => Validate(settings));

        Assert.True(error is OptionsValidationException or InvalidOperationException, error?.GetType().Name ?? "no error");
        Assert.Contains(key, error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_step_floor_beside_a_fixed_step_is_accepted_and_never_applied()
    {
        // The shipped configuration sets Series:MinStep 5m; an operator who fixes Series:StepSeconds must not be refused for it.
        var error = Record.Exception(() => Validate(("Kafka:BootstrapServers", "b:9092"), ("Series:StepSeconds", "60"), ("Series:MinStep", "5m")));
        var profile = Worker.Profiles.DefaultProfile.From(new Worker.Options.ForecastOptions(), new Worker.Options.SeriesOptions { StepSeconds = 60, MinStep = 300 });

        Assert.Null(error);
        Assert.Equal((60_000L, 0L, 60_000L), (profile.StepMs, profile.MinStepMs, profile.ModelStep(60_000)));
    }

    [Theory]
    [InlineData("Kafka:TransactionIntervalMs", "5")]
    [InlineData("Kafka:TransactionIntervalMs", "40000")]
    [InlineData("Kafka:TransactionIntervalMs", "2000000000")]
    [InlineData("Kafka:Client:transactional.id", "mine")]
    public void An_invalid_exactly_once_setting_fails_with_a_message_naming_it(string key, string value)
    {
        var error = Record.Exception(() => Validate(("Kafka:BootstrapServers", "b:9092"), ("Kafka:ExactlyOnce", "true"), (key, value)));

        Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Exactly_once_needs_checkpoints_and_committed_reads()
    {
        var noState = Assert.Throws<OptionsValidationException>(() => Validate(
            ("Kafka:BootstrapServers", "b:9092"), ("Kafka:ExactlyOnce", "true"), ("State:CheckpointIntervalSeconds", "0")));
        var uncommitted = Assert.Throws<OptionsValidationException>(() => Validate(
            ("Kafka:BootstrapServers", "b:9092"), ("Kafka:ExactlyOnce", "true"), ("Kafka:Client:isolation.level", "read_uncommitted")));

        Assert.Contains("Kafka:ExactlyOnce", noState.Message, StringComparison.Ordinal);
        Assert.Contains("isolation.level", uncommitted.Message, StringComparison.Ordinal);
        Validate(("Kafka:BootstrapServers", "b:9092"), ("Kafka:ExactlyOnce", "true"));
        Validate(("Kafka:BootstrapServers", "b:9092"), ("Kafka:TransactionIntervalMs", "5")); // Ignored unless exactly once.
    }

    [Fact]
    public void The_transactional_id_defaults_to_one_per_instance()
    {
        var pod = new Forecaster.Worker.Options.KafkaOptions { GroupId = "g", GroupInstanceId = "forecaster-2" };
        var host = new Forecaster.Worker.Options.KafkaOptions { GroupId = "g" };
        var set = new Forecaster.Worker.Options.KafkaOptions { GroupId = "g", GroupInstanceId = "forecaster-2", TransactionalId = "tx" };

        Assert.Equal("g-forecaster-2", pod.EffectiveTransactionalId);
        Assert.Equal("g-" + Environment.MachineName, host.EffectiveTransactionalId);
        Assert.Equal("tx", set.EffectiveTransactionalId);
    }

    [Fact]
    public void Quantile_levels_must_include_the_median()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Validate(
            ("Kafka:BootstrapServers", "b:9092"), ("Forecast:QuantileLevels:0", "0.2"), ("Forecast:QuantileLevels:1", "0.8")));

        Assert.Contains("Forecast:QuantileLevels", error.Message, StringComparison.Ordinal);
    }
}
