using Forecaster.Worker.Options;
using Microsoft.Extensions.Configuration;

namespace Forecaster.Worker.Tests.Training;

public class TrainingOptionsTests
{
    private static TrainingOptions FromShippedConfig()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Forecaster.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(directory!.FullName, "config", "appsettings.json")).Build();
        var options = new TrainingOptions();
        configuration.GetSection(TrainingOptions.Section).Bind(options);
        return options;
    }

    [Fact]
    public void The_shipped_defaults_are_valid_and_on()
    {
        var options = FromShippedConfig();
        Assert.True(options.Enabled);
        Assert.Equal(1, options.Threads);
        Assert.Equal(0, options.StepThreads); // auto
        Assert.True(new TrainingOptionsValidator().Validate(null, options).Succeeded);
        options.ToFitSettings().Validate();
    }

    [Theory]
    [InlineData("Window", 1)]
    [InlineData("Threads", 0)]
    [InlineData("StepThreads", -1)]
    [InlineData("StepThreads", 65)]
    [InlineData("MaxSeconds", 0)]
    [InlineData("MaxSeries", -1)]
    [InlineData("RewarmSteps", 0)]
    [InlineData("BurnIn", 168)]
    public void An_invalid_setting_is_refused_by_name(string setting, int value)
    {
        var options = new TrainingOptions();
        typeof(TrainingOptions).GetProperty(setting)!.SetValue(options, value);
        var result = new TrainingOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains($"Training:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, 2, 1)] // auto: a 2-core pod keeps one core for the consume thread
    [InlineData(0, 1, 4, 3)] // 4 cores, one run: three step threads, one core left to the consume thread
    [InlineData(0, 2, 2, 1)] // two runs at once on 2 cores: one thread each
    [InlineData(0, 3, 8, 2)]
    [InlineData(0, 4, 1, 1)] // never fewer than one
    [InlineData(3, 1, 2, 3)] // an explicit count is kept whatever the cores
    public void Step_threads_resolve_to_the_cores_the_consume_thread_and_the_concurrent_runs_leave(int stepThreads, int threads, int cores, int expected)
    {
        var options = new TrainingOptions { StepThreads = stepThreads, Threads = threads };
        Assert.True(new TrainingOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(expected, options.StepThreadsOn(cores));
    }

    [Fact]
    public void The_fit_settings_carry_the_resolved_step_threads()
    {
        Assert.Equal(2, new TrainingOptions { StepThreads = 2 }.ToFitSettings(run: 3).Threads);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), new TrainingOptions().ToFitSettings().Threads);
    }

    [Fact]
    public void A_schedule_with_no_trigger_is_refused_unless_training_is_off()
    {
        var options = new TrainingOptions { Interval = 0, EveryPoints = 0 };
        Assert.True(new TrainingOptionsValidator().Validate(null, options).Failed);
        options.Enabled = false;
        Assert.True(new TrainingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_shipped_config_starts_from_the_pretrained_model_and_samples_every_series_of_a_default_shard()
    {
        var options = FromShippedConfig();
        Assert.Equal(InitialModel.Pretrained, options.StartFrom);
        Assert.True(options.KeepOptimizer);
        Assert.InRange(options.FirstPoints, 1, options.EveryPoints - 1);
        Assert.True(options.MaxSeries is 0 or >= 4096);
    }

    [Fact]
    public void An_unknown_start_is_refused_by_name()
    {
        var options = new TrainingOptions { StartFrom = (InitialModel)7 };
        var result = new TrainingOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Training:StartFrom", result.FailureMessage, StringComparison.Ordinal);
    }
}
