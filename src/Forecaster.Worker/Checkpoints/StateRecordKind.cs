namespace Forecaster.Worker.Checkpoints;

/// <summary>What a record of the state topic holds.</summary>
internal enum StateRecordKind : byte
{
    /// <summary>The shard's model (<see cref="Forecaster.Core.Checkpoints.ModelSerializer"/> bytes).</summary>
    Model = 1,

    /// <summary>One series: id, Core state, timeline (<see cref="SeriesEntryCodec"/>).</summary>
    Series = 2,

    /// <summary>The commit marker, written last: the input offset absorbed and the number of live series.</summary>
    Commit = 3,
}
