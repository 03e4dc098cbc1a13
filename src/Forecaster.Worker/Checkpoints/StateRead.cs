namespace Forecaster.Worker.Checkpoints;

/// <summary>What reading one partition of the state topic found: the last complete checkpoint (null: none), the highest sequence seen, the series no marker vouches for, and how long the read took.</summary>
internal sealed record StateRead(RestoredShard? State, long HighestSequence, IReadOnlyList<string> Orphans, TimeSpan Took);
