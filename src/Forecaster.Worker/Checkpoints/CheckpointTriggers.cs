namespace Forecaster.Worker.Checkpoints;

/// <summary>The <c>trigger</c> label of <c>forecaster_checkpoint_pause_seconds</c>: what the consume loop paused for.</summary>
internal static class CheckpointTriggers
{
    /// <summary>One loop iteration's share of an interval checkpoint spread over iterations.</summary>
    public const string Interval = "interval";

    /// <summary>A whole checkpoint of the revoked shards, inside the rebalance callback.</summary>
    public const string Revoke = "revoke";

    /// <summary>A whole checkpoint of every shard at shutdown.</summary>
    public const string Shutdown = "shutdown";

    public static readonly string[] All = [Interval, Revoke, Shutdown];
}
