using Forecaster.Core.Lstm;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>The last complete checkpoint of a shard as read back: model (null when none was saved), series and the input offset to resume at.</summary>
internal sealed record RestoredShard(ForecastModel? Model, IReadOnlyList<SeriesEntry> Series, long InputOffset, long Sequence, long Bytes);
