namespace Forecaster.Worker.Publish;

/// <summary>
/// One reusable array per length for produced values. The Kafka client wants a whole array per value, and
/// librdkafka copies the value during Produce (the .NET client passes RD_KAFKA_MSG_F_COPY), so the array is
/// free again as soon as Produce returns: a forecast record then costs no managed allocation of its size.
/// Lengths beyond <see cref="MaxLength"/> get a new array. Consume thread only.
/// </summary>
internal sealed class ExactLengthBuffers
{
    public const int MaxLength = 16 * 1024;

    private readonly byte[]?[] _byLength = new byte[MaxLength + 1][];

    /// <summary>An array holding exactly <paramref name="bytes"/>, valid until the next call with the same length.</summary>
    public byte[] Copy(ReadOnlySpan<byte> bytes)
    {
        var array = bytes.Length <= MaxLength ? _byLength[bytes.Length] ??= new byte[bytes.Length] : new byte[bytes.Length];
        bytes.CopyTo(array);
        return array;
    }
}
