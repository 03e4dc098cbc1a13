using Forecaster.Core.Lstm;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The state of a shard as read back: model (null when none was saved), series and the input offset to
/// resume at (the latest commit marker's). Parallel to <see cref="Series"/>: the input offset each series'
/// record absorbed and the model version its state was computed under (-1: unknown, a version 1 record).
/// </summary>
internal sealed record RestoredShard(ForecastModel? Model, IReadOnlyList<SeriesEntry> Series, long InputOffset, long Sequence, long Bytes)
{
    public IReadOnlyList<long> Absorbed { get; init; } = [];

    /// <summary>The saved models of the shard's other model groups, by shape name; a group made for a shape takes its model.</summary>
    public IReadOnlyDictionary<string, ForecastModel> ShapeModels { get; init; } = new Dictionary<string, ForecastModel>();

    public IReadOnlyList<long> ModelVersions { get; init; } = [];

    /// <summary>Series keys found but not restored (records of a checkpoint cut short that cannot be used): the next checkpoint tombstones them.</summary>
    public IReadOnlyList<string> Orphans { get; init; } = [];

    /// <summary>
    /// Why the saved model was dropped because it does not fit the settings (another hidden size, horizon count or
    /// quantile levels), or a series record was carried over from another shape; null when the shape is unchanged.
    /// The series then serve under the initial model of the new shape, re-warmed, until the shard trains one.
    /// </summary>
    public string? ShapeChange { get; init; }

    /// <summary>The marker's <see cref="OriginMarks"/> (a shard of the repartition topic), null when it has none.</summary>
    public OriginMarks? Origins { get; init; }

    /// <summary>The live series count the marker recorded (informative: compaction and later records may differ).</summary>
    public int MarkerSeriesCount { get; init; }
}
