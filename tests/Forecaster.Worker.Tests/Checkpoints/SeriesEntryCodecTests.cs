using System.Text;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>How a restore reads a series state of another shape than the worker's.</summary>
public class SeriesEntryCodecTests
{
    [Fact]
    public void A_state_of_a_saved_groups_horizon_keeps_its_shape_and_one_of_the_old_settings_is_carried_to_the_new()
    {
        var worker = StateWorker.Model.ToSettings();
        var longer = worker with { Horizons = worker.Horizons + 2 }; // a profile's group: only the horizon differs
        var payload = Payload(longer);
        (int, int, int)[] groups = [(longer.Season, longer.WeeklySeason, longer.Horizons)];

        var own = SeriesEntryCodec.Decode(payload, worker, reshape: true, out var reshapedOwn, groups);
        Assert.True(own.State.Fits(longer));
        Assert.False(reshapedOwn);

        // No group of that shape was saved: the worker's own horizon changed, and the state is carried over to it.
        var carried = SeriesEntryCodec.Decode(payload, worker, reshape: true, out var reshapedCarried, [(worker.Season, worker.WeeklySeason, worker.Horizons + 5)]);
        Assert.True(carried.State.Fits(worker));
        Assert.True(reshapedCarried);
    }

    /// <summary>The checkpoint payload of one series fed a few points under <paramref name="settings"/>.</summary>
    private static byte[] Payload(Core.Forecasting.ForecastSettings settings)
    {
        var shard = new Shard(0, StateWorker.Series, settings, new ShardFeed.NullSink());
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < 6; t++)
        {
            var json = TopicIo.Point("a", TopicIo.T0 + (t * 60_000L), 10 + t);
            Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Auto, TopicIo.T0 + (1000 * 60_000L)));
            shard.Offsets.Register(t);
            shard.Offer(decoder.Record, decoder.Ids, 0, t);
            shard.Offsets.Release(t);
            shard.Flush();
        }

        return new SeriesEntryCodec(settings).Encode(shard.Series.Single());
    }
}
