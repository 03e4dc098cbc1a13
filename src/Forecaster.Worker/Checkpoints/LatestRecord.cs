namespace Forecaster.Worker.Checkpoints;

/// <summary>The latest record of one state key: its log offset and frame, or why it could not be opened (Error).</summary>
internal readonly record struct LatestRecord(long Offset, StateFrame Frame, string? Error)
{
    public ReadOnlyMemory<byte> Payload => Frame.Payload;

    /// <summary>Written after the latest commit marker (at log offset <paramref name="markerOffset"/>): part of a checkpoint that never completed.</summary>
    public bool After(long markerOffset) => Offset > markerOffset;
}
