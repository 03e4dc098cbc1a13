using System.IO.Hashing;

namespace Forecaster.Worker.Processing;

/// <summary>
/// Lets the usual record of a known series skip most of its decoding. A plain canonical record keyed by its series id
/// starts with the bytes that name the series (<c>{"metric":…,"labels":{…},</c>, see
/// <see cref="Ingest.PlainCanonicalParser.TryParse"/>); their length and a 64-bit hash are kept on the series. The
/// next record with that key whose first bytes hash the same names the same series, so only its tail (timestamp,
/// value, kind) is read: the metric and labels are not copied, sorted, built into an id, encoded and looked up
/// again. Anything that does not match, or whose tail is anything else, is decoded in full.
/// </summary>
/// <remarks>
/// The hash is XxHash3 with a seed drawn per process, so no record can be crafted offline to collide. A collision
/// needs a record keyed by one series that names another (a mis-keyed producer) and hashes alike: about one such
/// record in 2^64. Nothing is kept across a restart: a restored or new series is learned from its first record.
/// </remarks>
internal sealed class KnownIdentities
{
    private readonly long _seed = Random.Shared.NextInt64();

    /// <summary>Remembers <paramref name="identity"/>, the first bytes of a record of <paramref name="series"/> keyed by its id.</summary>
    public void Remember(SeriesEntry series, ReadOnlySpan<byte> identity)
    {
        series.IdentityLength = identity.Length;
        series.IdentityHash = XxHash3.HashToUInt64(identity, _seed);
    }

    /// <summary>Whether <paramref name="value"/> starts with the identity remembered for <paramref name="series"/>.</summary>
    public bool Matches(SeriesEntry series, ReadOnlySpan<byte> value) =>
        series.IdentityLength > 0 && series.IdentityLength < value.Length
        && XxHash3.HashToUInt64(value[..series.IdentityLength], _seed) == series.IdentityHash;
}
