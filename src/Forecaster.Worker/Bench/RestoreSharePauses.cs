using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Part of <c>bench --checkpoint</c>: the loop's pause for each share of restoring one shard that holds every
/// series of the benchmark (decoded from its records in process, no Kafka), shared out the way
/// <see cref="ShardRestore"/> does it: the put (<see cref="RestorePut"/>) to the end, then the re-warm of every series
/// (what a model-shape change asks) for its first <see cref="RewarmShares"/> shares, each bounded by
/// <c>State:CheckpointChunkMilliseconds</c>. The one-go put, timed on a second copy, is the pause before the split.
/// </summary>
internal static class RestoreSharePauses
{
    private const int RewarmShares = 200;

    public static (List<double> PutMs, List<double> RewarmMs, double OneGoPutMs, int Series) Run(List<ShardCheckpoint> built, ForecastSettings settings, StateOptions state, int rewarmSteps)
    {
        var codec = new SeriesEntryCodec(settings);
        var log = new CheckpointLog("bench.shares", "bench.in", 0);
        long offset = 0;
        foreach (var entry in built.SelectMany(s => s.Shard.Series))
        {
            log.Add(offset++, StateKeys.Series("bench.in", 0, entry.Id), StateEnvelope.Wrap(StateRecordKind.Series, 1, codec.Encode(entry)), null);
        }

        log.Add(offset, StateKeys.Commit("bench.in", 0), StateEnvelope.Wrap(StateRecordKind.Commit, 1, new CommitMarker(1, (int)offset).ToBytes()), null);
        var restorer = new StateRestorer(new ConsumerConfig(), "bench.shares", settings, TimeSpan.FromSeconds(60), state.RestoreParallelism);
        var budget = state.CheckpointChunkMilliseconds * Stopwatch.Frequency / 1000;
        var most = state.RestoreChunkSeriesSteps > 0 ? state.RestoreChunkSeriesSteps : long.MaxValue;

        var oneGo = new Shard(0, new SeriesOptions { StepSeconds = 60 }, settings, new NullSink());
        var copy = restorer.Decode(log, 0);
        var start = Stopwatch.GetTimestamp();
        RestoreApplier.Prepare(oneGo, copy);
        var oneGoMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        var restored = restorer.Decode(log, 0);
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 60 }, settings, new NullSink());
        var put = new RestorePut(shard, restored);
        var putMs = new List<double>();
        while (!put.Done)
        {
            putMs.Add(Share(() => put.Advance(1), () => put.Work, budget, most));
        }

        var rewarm = RestoreApplier.Start(shard, [.. shard.Series], rewarmSteps)!;
        var rewarmMs = new List<double>();
        while (!rewarm.Done && rewarmMs.Count < RewarmShares)
        {
            rewarmMs.Add(Share(() => rewarm.Advance(1), () => rewarm.Work, budget, most));
        }

        return (putMs, rewarmMs, oneGoMs, restored.Series.Count);
    }

    /// <summary>One share as <see cref="ShardRestore.Advance"/> runs it (<see cref="ShardRestore.RunShare"/>); its milliseconds.</summary>
    private static double Share(Func<bool> advance, Func<long> work, long budget, long most)
    {
        var start = Stopwatch.GetTimestamp();
        ShardRestore.RunShare(advance, work, most, start + budget);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private sealed class NullSink : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
