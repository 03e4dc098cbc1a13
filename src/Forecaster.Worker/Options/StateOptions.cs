namespace Forecaster.Worker.Options;

/// <summary>The <c>State</c> section: checkpoints of every shard to <c>Kafka:StateTopic</c> and restore on assign.</summary>
internal sealed class StateOptions
{
    public const string Section = "State";

    /// <summary>Seconds between two checkpoints of the assigned shards (also taken on revoke and at shutdown); 0 turns checkpoints and restore off.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 30;

    /// <summary>Longest a restore of one partition may take reading the state topic; beyond it the worker stops (it is restarted and tries again).</summary>
    public int RestoreTimeoutSeconds { get; set; } = 120;

    public bool Enabled => CheckpointIntervalSeconds > 0;
}
