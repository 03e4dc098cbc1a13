using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Prometheus;

namespace Forecaster.Worker.Processing;

/// <summary>
/// Takes each consumed record to the shard of its partition: decodes it, offers the fields of each of its points,
/// dead-letters it with its reason when it cannot be used, or once naming its bad values (header
/// <c>forecaster.points</c>) when only some are; and steps every shard after a batch. Each record's offset is
/// registered in the shard's tracker and released once its effects are produced. Unless <c>Ingest:TrustKeys</c>, a
/// point whose series id is not its record's key is re-keyed through the repartition topic instead
/// (<see cref="Repartitioner"/>), and a point read back from there that its shard absorbed already (re-keyed again
/// after a crash) is dropped (<see cref="OriginMarks"/>). The usual record of a known series is read by its tail
/// alone, with the same outcome (<see cref="KnownIdentities"/>).
/// </summary>
internal sealed class RecordRouter
{
    private readonly LoopServices _loop;
    private readonly IngestOptions _ingest;
    private readonly RecordDecoder _decoder;
    private readonly PointFailures _failures = new();
    private readonly KnownIdentities _known = new();
    private readonly Counter.Child _duplicates;
    private readonly Counter.Child _lateInBucket;
    private readonly Counter.Child _superseded;
    private readonly Counter.Child _repartitionDuplicates;
    private readonly Repartitioner? _repartition;
    private readonly Dictionary<string, Counter.Child> _dropped = [];
    private long _batchTimestamp;
    private long _batchNowMs;
    private int _consumedUncounted;

    public RecordRouter(LoopServices loop, IngestOptions ingest)
    {
        _loop = loop;
        _ingest = ingest;
        _decoder = new RecordDecoder(ingest);
        _duplicates = loop.Metrics.PointsDropped.WithLabels("duplicate");
        _lateInBucket = loop.Metrics.PointsDropped.WithLabels("late_in_bucket");
        _superseded = loop.Metrics.PointsDropped.WithLabels("superseded");
        _repartitionDuplicates = loop.Metrics.PointsDropped.WithLabels("repartition_duplicate");
        _repartition = loop.Repartition;
        foreach (var skip in SkipReasons.All)
        {
            _dropped[skip] = loop.Metrics.PointsDropped.WithLabels(skip);
        }
    }

    /// <summary>Records read by their tail alone (<see cref="KnownIdentities"/>) since the router was made.</summary>
    public long ReadByTail { get; private set; }

    /// <summary>
    /// Reads the clocks once for the batch polled at <paramref name="timestamp"/> (the loop's clock): every record of it
    /// is registered at that time, and its timestamps are checked against the wall clock read here, not once per record.
    /// </summary>
    public void BeginBatch(long timestamp)
    {
        _batchTimestamp = timestamp;
        _batchNowMs = _loop.Time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    /// <summary>Routes one record of the batch begun by <see cref="BeginBatch"/>; false when it was skipped unread because its shard is restoring (it will be read again).</summary>
    public bool Route(ConsumeResult<byte[], byte[]> result)
    {
        var ours = _loop.Shards.TryGet(result.Topic, result.Partition.Value, out var owned);
        if (ours && owned.Phase == ShardPhase.Restoring)
        {
            // Fetched before the restore paused the partition: read again from where the restored state resumes.
            owned.FirstSkipped = owned.FirstSkipped < 0 ? result.Offset.Value : Math.Min(owned.FirstSkipped, result.Offset.Value);
            return false;
        }

        _consumedUncounted++; // counted once per batch, in FlushShards: prometheus-net looks for an exemplar on every Inc
        if (!ours)
        {
            return true; // Not ours any more; its offset is never stored.
        }

        var shard = owned.Shard;
        var offset = result.Offset.Value;
        shard.Position = offset + 1;
        shard.Offsets.Register(offset, _batchTimestamp);
        var repartitioned = _repartition is not null && result.Topic == _repartition.Topic;
        if (repartitioned && result.Message.Headers is { } headers && headers.TryGetLastBytes(OriginMarks.Header, out var origin) && !shard.Origins.Admit(origin))
        {
            _repartitionDuplicates.Inc(); // re-keyed again after a crash: this shard has it already
            shard.Offsets.Release(offset);
            return true;
        }

        var value = result.Message.Value;
        var nowMs = _batchNowMs;
        var format = repartitioned ? InputFormat.Canonical : _ingest.FormatOf(result.Topic);
        if (value is not null && _ingest.ReadKnownIdentities && format is InputFormat.Auto or InputFormat.Canonical && TryOfferKnown(shard, result, value, offset))
        {
            shard.Offsets.Release(offset);
            return true;
        }

        var reason = value is null ? RejectReasons.MissingField : _decoder.Decode(value, format, nowMs);
        _failures.Clear();
        var source = _repartition is not null && !repartitioned ? result : null;
        var rekeyed = 0;
        for (var point = 0; reason is null && point < _decoder.PointCount; point++)
        {
            // Each point on its own, and each field of a point: a bad one is named in the dead letter, the others go through.
            var refused = _decoder.LoadPoint(value, point, nowMs);
            if (refused is not null)
            {
                _failures.Add(point, refused);
            }
            else
            {
                Offer(shard, result, offset, source, ref rekeyed);
            }
        }

        if (reason is not null)
        {
            _loop.Publisher.DeadLetter(result, reason, shard.Offsets);
        }
        else if (_failures.Count > 0)
        {
            _loop.Publisher.DeadLetter(result, _failures.FirstReason, shard.Offsets, _decoder.NamesPoints ? _failures.Describe() : null);
        }

        shard.Offsets.Release(offset);
        return true;
    }

    /// <summary>
    /// A plain canonical record of a series the shard knows, keyed by its id and starting with the identity bytes of
    /// the series' last such record (<see cref="KnownIdentities"/>): its tail read and its point offered, with the
    /// outcome the full path gives it. False (nothing done) sends the record to the full path.
    /// </summary>
    private bool TryOfferKnown(Shard shard, ConsumeResult<byte[], byte[]> result, byte[] value, long offset)
    {
        if (result.Message.Key is not { } key || !shard.TryFind(key, out var series) || !_known.Matches(series, value)
            || !_decoder.TryReadTail(value, series.IdentityLength, _batchNowMs, out var timestampMs, out var pointValue))
        {
            return false;
        }

        ReadByTail++;
        var outcome = shard.Offer(series, timestampMs, pointValue, offset);
        if (outcome == OfferResult.TooOld)
        {
            _loop.Publisher.DeadLetter(result, RejectReasons.TimestampTooOld, shard.Offsets);
        }
        else
        {
            CountDropped(outcome);
        }

        return true;
    }

    private void CountDropped(OfferResult outcome)
    {
        switch (outcome)
        {
            case OfferResult.Duplicate: _duplicates.Inc(); break;
            case OfferResult.LateInBucket: _lateInBucket.Inc(); break;
            case OfferResult.Superseded: _superseded.Inc(); break;
            default: break;
        }
    }

    /// <summary>
    /// Offers every usable field of the loaded point; a refused one (by the decoder, or by the shard as too old) is a
    /// failure at its position. With a <paramref name="source"/> to re-key from, a field not keyed by its series id is
    /// re-produced instead, as the record's re-keyed point number <paramref name="rekeyed"/>. A one-value plain
    /// canonical record keyed by its series id leaves its identity with the series (<see cref="KnownIdentities"/>).
    /// </summary>
    private void Offer(Shard shard, ConsumeResult<byte[], byte[]> result, long offset, ConsumeResult<byte[], byte[]>? source, ref int rekeyed)
    {
        var record = _decoder.Record;
        for (var i = 0; i < record.Fields.SkippedCount; i++)
        {
            _dropped[record.Fields.SkipReason(i)].Inc();
        }

        for (var field = 0; field < record.FieldCount; field++)
        {
            var refused = record.Fields.Refusal(field);
            if (refused is null && source is not null && !Repartitioner.KeyedBySeries(source.Message.Key, record, _decoder.Ids, field))
            {
                _repartition!.Send(source, record, _decoder.Ids, field, rekeyed++, shard.Offsets);
            }
            else if (refused is null)
            {
                var outcome = shard.Offer(record, _decoder.Ids, field, offset, out var series);
                refused = outcome == OfferResult.TooOld ? RejectReasons.TimestampTooOld : null;
                CountDropped(outcome);
                if (record.IdentityLength > 0 && result.Message.Key is { } key && _decoder.Ids.Utf8().SequenceEqual(key))
                {
                    _known.Remember(series, result.Message.Value.AsSpan(0, record.IdentityLength));
                }
            }

            if (refused is not null)
            {
                _failures.Add(record.Fields.Position(field), refused);
            }
        }
    }

    /// <summary>Steps the pending series of every shard; the consumed-records counter and the active-series gauge.</summary>
    public void FlushShards()
    {
        if (_consumedUncounted > 0)
        {
            _loop.Metrics.RecordsConsumed.Inc(_consumedUncounted);
            _consumedUncounted = 0;
        }

        var series = 0;
        foreach (var owned in _loop.Shards.All)
        {
            using (_loop.Metrics.StepDuration.NewTimer())
            {
                owned.Shard.Flush();
            }

            series += owned.Shard.SeriesCount;
        }

        _loop.Metrics.SeriesActive.Set(series);
    }
}
