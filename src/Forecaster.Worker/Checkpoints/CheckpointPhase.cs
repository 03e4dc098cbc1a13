namespace Forecaster.Worker.Checkpoints;

/// <summary>Where a <see cref="CheckpointJob"/> is.</summary>
internal enum CheckpointPhase
{
    /// <summary>Producing series records, a budget per loop iteration.</summary>
    Records,

    /// <summary>Every record produced; waiting for their acknowledgements before the commit marker.</summary>
    Acks,

    /// <summary>Commit marker produced; waiting for its acknowledgement.</summary>
    MarkerAck,

    /// <summary>Complete: the state topic holds the whole checkpoint.</summary>
    Done,

    /// <summary>Given up (a refused record, a timeout, or the shard moved); the next checkpoint of the shard is full.</summary>
    Failed,
}
