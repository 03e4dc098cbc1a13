namespace Forecaster.Worker.Processing;

/// <summary>Where an owned shard is in its life on this worker.</summary>
internal enum ShardPhase
{
    /// <summary>Its state is being read back from the state topic; its input partition is paused.</summary>
    Restoring,

    /// <summary>Consuming, stepping, retraining.</summary>
    Active,

    /// <summary>Paused for its spread checkpoint: nothing may move its state (no input, no model swap).</summary>
    Frozen,
}
