using Forecaster.Worker.Hosting;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Checkpoints;

public class StateOptionsTests
{
    [Theory]
    [InlineData(-1, 120, "State:CheckpointIntervalSeconds")]
    [InlineData(86_401, 120, "State:CheckpointIntervalSeconds")]
    [InlineData(30, 0, "State:RestoreTimeoutSeconds")]
    public void Impossible_settings_are_refused_naming_the_setting(int interval, int timeout, string setting)
    {
        var result = new StateOptionsValidator().Validate(null, new StateOptions { CheckpointIntervalSeconds = interval, RestoreTimeoutSeconds = timeout });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 20_000, 0, 0, "State:CheckpointChunkMilliseconds")]
    [InlineData(20, 0, 0, 0, "State:CheckpointChunkSeries")]
    [InlineData(20, 20_000, -1, 0, "State:CheckpointChunkIntervalMs")]
    [InlineData(20, 20_000, 0, -1, "State:RestoreThreads")]
    public void Impossible_chunk_and_restore_settings_are_refused_naming_the_setting(int chunkMs, int chunkSeries, int chunkInterval, int restoreThreads, string setting)
    {
        var options = new StateOptions { CheckpointChunkMilliseconds = chunkMs, CheckpointChunkSeries = chunkSeries, CheckpointChunkIntervalMs = chunkInterval, RestoreThreads = restoreThreads };
        var result = new StateOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTopics_without_the_topic_check_is_refused()
    {
        var result = new StateOptionsValidator().Validate(null, new StateOptions { CreateTopics = true, CheckTopics = false });
        Assert.True(result.Failed);
        Assert.Contains("State:CreateTopics", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new StateOptionsValidator().Validate(null, new StateOptions { CreateTopics = true }).Succeeded);
    }

    [Fact]
    public void Zero_restore_threads_means_one_per_core()
    {
        Assert.Equal(Environment.ProcessorCount, new StateOptions().RestoreParallelism);
        Assert.Equal(1, new StateOptions { RestoreThreads = 1 }.RestoreParallelism);
    }

    [Fact]
    public void Defaults_are_valid_and_zero_turns_checkpoints_off()
    {
        Assert.True(new StateOptionsValidator().Validate(null, new StateOptions()).Succeeded);
        Assert.True(new StateOptions().Enabled);
        Assert.False(new StateOptions { CheckpointIntervalSeconds = 0 }.Enabled);
    }

    [Fact]
    public void Not_ready_while_an_assigned_partition_is_being_restored()
    {
        var health = new WorkerHealth(TimeProvider.System);
        health.SetAssigned(2);
        health.SetRestoring(1);
        Assert.False(health.IsReady);
        health.SetRestoring(0);
        Assert.True(health.IsReady);
    }
}
