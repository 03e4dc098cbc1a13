using Confluent.Kafka;
using Forecaster.Worker.Hosting.Clients;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>
/// <see cref="FetchAhead"/> over <see cref="ScriptedConsumer"/>: every record reaches the loop once and in order; pauses,
/// resumes and seeks mean over the batches fetched ahead what they would mean without them; rebalance handlers run on
/// the loop's thread between batches; a consume error comes with its batch. The worker's integration tests run the
/// same class against the mock broker (it is on by default).
/// </summary>
public class FetchAheadTests
{
    private const string Topic = "in";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Every_record_reaches_the_loop_once_and_in_order()
    {
        using var run = new Run(partitions: 3, perPartition: 2000, maxBatch: 64);
        run.Scripted.Allow(6000);
        run.CollectUntil(seen => seen.Count == 6000);
        for (var p = 0; p < 3; p++)
        {
            Assert.Equal(Enumerable.Range(0, 2000).Select(o => (long)o), run.Offsets(p));
        }
    }

    [Fact]
    public void A_pause_holds_what_was_fetched_ahead_of_it_and_the_resume_puts_it_back_in_front_in_order()
    {
        using var run = new Run(partitions: 3, perPartition: 400, maxBatch: 50);
        run.Scripted.Allow(150); // the batch the loop takes and the two the fetch thread fills ahead of it
        var taken = run.Ahead.Collect(Wait, out _);
        run.Scripted.WaitHanded(150);
        run.Ahead.Pause([ScriptedConsumer.Tp(Topic, 1)]);

        Assert.Equal(50, run.Ahead.HeldCount); // every record of partition 1 out so far, the taken batch's included
        Assert.DoesNotContain(taken, r => r.Partition.Value == 1);
        run.Route(taken);
        run.Scripted.Allow(200); // only partitions 0 and 2 go on while 1 is paused
        run.CollectUntil(_ => run.Offsets(0).Count == 150 && run.Offsets(2).Count == 150);
        Assert.Empty(run.Offsets(1));

        var next = run.Ahead.Collect(TimeSpan.FromMilliseconds(1), out _);
        run.Ahead.Resume([ScriptedConsumer.Tp(Topic, 1)]);
        Assert.Equal(Enumerable.Range(0, 50).Select(o => (long)o), next.Take(50).Select(r => r.Offset.Value));
        run.Route(next);
        run.Scripted.Allow(10_000);
        run.CollectUntil(seen => seen.Count == 1200);
        for (var p = 0; p < 3; p++)
        {
            Assert.Equal(Enumerable.Range(0, 400).Select(o => (long)o), run.Offsets(p));
        }

        Assert.Equal(0, run.Ahead.HeldCount);
    }

    [Fact]
    public void A_seek_drops_what_was_fetched_before_it_held_or_not()
    {
        using var run = new Run(partitions: 3, perPartition: 300, maxBatch: 50);
        run.Scripted.Allow(150);
        var taken = run.Ahead.Collect(Wait, out _);
        run.Scripted.WaitHanded(150);
        run.Ahead.Pause([ScriptedConsumer.Tp(Topic, 1)]);
        run.Ahead.Seek(new TopicPartitionOffset(Topic, 1, 10));
        run.Ahead.Resume([ScriptedConsumer.Tp(Topic, 1)]);
        Assert.Equal(0, run.Ahead.HeldCount);
        run.Route(taken);
        run.Scripted.Allow(10_000);
        run.CollectUntil(seen => seen.Count == 300 + 290 + 300);

        Assert.Equal(Enumerable.Range(10, 290).Select(o => (long)o), run.Offsets(1)); // 0..49 were fetched before the seek: never routed
        Assert.Equal(Enumerable.Range(0, 300).Select(o => (long)o), run.Offsets(0));
    }

    [Fact]
    public void A_revoke_inside_a_poll_runs_on_the_loop_thread_between_batches_and_drops_what_was_fetched_of_its_partition()
    {
        using var run = new Run(partitions: 3, perPartition: 200, maxBatch: 25);
        run.Scripted.RevokeAfter(120, partition: 2);
        run.Scripted.Allow(600);
        run.CollectUntil(_ => run.Offsets(0).Count == 200 && run.Offsets(1).Count == 200);

        var revoke = Assert.Single(run.Revokes);
        Assert.Equal(Environment.CurrentManagedThreadId, revoke.Thread);
        Assert.Equal(2, revoke.Partitions.Single().Partition.Value);
        Assert.Equal(revoke.RoutedBefore, run.Offsets(2).Count); // nothing of partition 2 after the handler, though 40 were fetched
        Assert.True(revoke.RoutedBefore < 40);
        Assert.Equal(Enumerable.Range(0, revoke.RoutedBefore).Select(o => (long)o), run.Offsets(2));
    }

    [Fact]
    public void A_consume_error_comes_with_the_records_fetched_before_it_and_the_fetch_goes_on()
    {
        using var run = new Run(partitions: 1, perPartition: 100, maxBatch: 1000);
        var error = new ConsumeException(new ConsumeResult<byte[], byte[]>(), new Error(ErrorCode.Local_Transport, "broker down"));
        run.Scripted.FailAfter(30, error);
        run.Scripted.Allow(100);

        var errors = new List<ConsumeException>();
        run.CollectUntil(seen => seen.Count == 100, errors);
        Assert.Same(error, Assert.Single(errors));
        Assert.Equal(Enumerable.Range(0, 100).Select(o => (long)o), run.Offsets(0));
    }

    [Fact]
    public void Close_stops_the_fetch_thread_and_runs_the_revoke_handler_on_the_calling_thread()
    {
        var run = new Run(partitions: 2, perPartition: 50, maxBatch: 10);
        run.Scripted.Allow(100);
        run.CollectUntil(seen => seen.Count == 100);
        run.Ahead.Close();

        var revoke = Assert.Single(run.Revokes);
        Assert.Equal(Environment.CurrentManagedThreadId, revoke.Thread);
        Assert.Equal(2, revoke.Partitions.Count);
        Assert.Throws<InvalidOperationException>(() => run.Ahead.Consume(TimeSpan.Zero));
    }

    /// <summary>A loop over one <see cref="FetchAhead"/>: it takes batches, routes them (records what it saw) and notes each revoke.</summary>
    private sealed class Run : IDisposable
    {
        private readonly List<(int Partition, long Offset)> _seen = [];

        public Run(int partitions, int perPartition, int maxBatch)
        {
            var handlers = new ClientHandlers(
                _ => { },
                _ => { },
                p => [.. p.Select(tp => new TopicPartitionOffset(tp, Offset.Unset))],
                p => Revokes.Add((Environment.CurrentManagedThreadId, p, _seen.Count(s => s.Partition == p[0].Partition.Value))),
                _ => { });
            Ahead = new FetchAhead(h => Scripted = new ScriptedConsumer(h, Topic, partitions, perPartition), handlers, maxBatch);
        }

        public FetchAhead Ahead { get; }

        public ScriptedConsumer Scripted { get; private set; } = null!;

        public List<(int Thread, List<TopicPartitionOffset> Partitions, int RoutedBefore)> Revokes { get; } = [];

        public List<long> Offsets(int partition) => [.. _seen.Where(s => s.Partition == partition).Select(s => s.Offset)];

        public void Route(List<ConsumeResult<byte[], byte[]>> batch)
        {
            _seen.AddRange(batch.Select(r => (r.Partition.Value, r.Offset.Value)));
            Assert.All(batch, r => Assert.Equal(r.Offset.Value, BitConverter.ToInt64(r.Message.Value)));
        }

        /// <summary>Takes and routes batches until <paramref name="done"/>; fails after 50 empty takes in a row (half a second with nothing fetched).</summary>
        public void CollectUntil(Func<List<(int Partition, long Offset)>, bool> done, List<ConsumeException>? errors = null)
        {
            var empty = 0;
            while (!done(_seen))
            {
                var batch = Ahead.Collect(TimeSpan.FromMilliseconds(10), out var error);
                if (error is not null)
                {
                    Assert.NotNull(errors);
                    errors.Add(error);
                }

                Ahead.Release();
                Route(batch);
                empty = batch.Count == 0 ? empty + 1 : 0;
                Assert.True(empty < 50, $"nothing fetched after {_seen.Count} records");
            }
        }

        public void Dispose() => Ahead.Dispose();
    }
}
