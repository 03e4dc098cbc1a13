using System.Globalization;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// The environment of a <c>forecaster run</c> child process that runs the same model, series and topics as
/// <see cref="StateWorker"/>, checkpointing every second; each test adds its own settings to it.
/// </summary>
internal static class ChildEnvironment
{
    public static Dictionary<string, string> For(KafkaOptions kafka)
    {
        var model = StateWorker.Model;
        var series = StateWorker.Series;
        return new()
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__GroupId"] = kafka.GroupId,
            ["Kafka__InputTopic"] = kafka.InputTopic,
            ["Kafka__ForecastTopic"] = kafka.ForecastTopic,
            ["Kafka__DeadLetterTopic"] = kafka.DeadLetterTopic,
            ["Kafka__StateTopic"] = kafka.StateTopic,
            ["Kafka__RepartitionTopic"] = kafka.RepartitionTopic,
            ["Kafka__SessionTimeoutMs"] = Text(kafka.SessionTimeoutMs),
            ["Forecast__Horizons"] = Text(model.Plan().Horizons),
            ["Forecast__Season"] = Text(model.Plan().Season),
            ["Forecast__WeeklySeason"] = Text(model.Plan().WeeklySeason), // pinned in steps, whatever the shipped durations
            ["Forecast__WarmupPoints"] = Text(model.WarmupPoints),
            ["Forecast__HistoryCapacity"] = Text(model.HistoryCapacity),
            ["Forecast__HiddenSize"] = Text(model.HiddenSize),
            ["Forecast__LevelSmoothing"] = Text(model.LevelSmoothing),
            ["Forecast__SeasonSmoothing"] = Text(model.SeasonSmoothing),
            ["Forecast__WeeklySmoothing"] = Text(model.WeeklySmoothing),
            ["Forecast__NoiseSmoothing"] = Text(model.NoiseSmoothing),
            ["Forecast__ModelName"] = model.ModelName,
            ["Series__StepSeconds"] = Text(series.StepSeconds),
            ["Series__ReorderWindowSteps"] = Text(series.ReorderWindowSteps),
            ["State__CheckpointIntervalSeconds"] = "1",
            ["State__CheckTopics"] = "false", // the mock creates topics on first use and has no DescribeConfigs
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
