using System.Buffers.Binary;
using Forecaster.Core.Lstm;

namespace Forecaster.Core.Checkpoints;

/// <summary>
/// The binary model file format, version 1. All numbers are little-endian:
/// <code>
/// magic            8 bytes   ASCII "FCSTMODL"
/// format version   int32     1
/// shape            4 × int32 InputSize, HiddenSize, Horizons, Quantiles (I, H, K, Q)
/// quantile levels  Q × float32
/// model version    int64
/// parameter count  int32     must equal the shape's ParameterCount
/// parameters       count × float32, in the slab layout of <see cref="ModelShape"/>
/// checksum         uint32    <see cref="Crc32"/> of every byte above, magic included
/// </code>
/// The reader consumes exactly these bytes, so a model can be followed by other data in one stream.
/// </summary>
public static class ModelSerializer
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Refuse shapes with more parameters than this (1 GiB of float32) before allocating.</summary>
    public const long MaxParameterCount = 1L << 28;

    private const int MaxQuantiles = 1024;

    private static ReadOnlySpan<byte> Magic => "FCSTMODL"u8;

    /// <summary>The format version <paramref name="source"/> declares; 0 when it is not a model record.</summary>
    public static int RecordVersion(ReadOnlySpan<byte> source) => RecordHeader.Version(source, Magic);

    /// <summary>Writes <paramref name="model"/> to <paramref name="destination"/> at its current position.</summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite (the reader would refuse the file).</exception>
    public static void Write(ForecastModel model, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        var shape = model.Shape;
        if (!Finite.All<float>(model.Parameters))
        {
            throw new ArgumentException("The model has a non-finite parameter.", nameof(model));
        }

        int length = Magic.Length + (4 * 5) + (4 * shape.Quantiles) + 8 + 4 + (4 * model.Parameters.Length);
        var buffer = new byte[length + 4];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        int offset = Magic.Length;
        offset = PutInt32(span, offset, FormatVersion);
        offset = PutInt32(span, offset, shape.InputSize);
        offset = PutInt32(span, offset, shape.HiddenSize);
        offset = PutInt32(span, offset, shape.Horizons);
        offset = PutInt32(span, offset, shape.Quantiles);
        offset = PutSingles(span, offset, model.QuantileLevels);
        BinaryPrimitives.WriteInt64LittleEndian(span[offset..], model.Version);
        offset += 8;
        offset = PutInt32(span, offset, model.Parameters.Length);
        offset = PutSingles(span, offset, model.Parameters);
        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], Crc32.Compute(span[..offset]));
        destination.Write(buffer);
    }

    /// <summary>Reads one model from <paramref name="source"/>, consuming exactly its bytes.</summary>
    /// <exception cref="InvalidDataException">
    /// The stream does not start with the magic bytes, has a newer format version, ends early,
    /// holds an invalid shape or quantile levels, a parameter count that does not match the shape,
    /// a wrong checksum, or a non-finite parameter.
    /// </exception>
    public static ForecastModel Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = new ChecksummedReader(source);
        if (!reader.Read(Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a Forecaster model file: the magic bytes are wrong.");
        }

        int formatVersion = reader.ReadInt32();
        if (formatVersion > FormatVersion || formatVersion < 1)
        {
            throw new InvalidDataException($"Model format version {formatVersion} is not supported (this build reads 1 to {FormatVersion}).");
        }

        var shape = ReadShape(ref reader);
        float[] levels = reader.ReadSingles(shape.Quantiles);
        long version = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != shape.ParameterCount)
        {
            throw new InvalidDataException($"The file has {count} parameters but shape {shape} needs {shape.ParameterCount}.");
        }

        float[] parameters = reader.ReadSingles(count);
        uint expected = reader.Crc;
        uint stored = reader.ReadUInt32();
        if (stored != expected)
        {
            throw new InvalidDataException($"Model checksum mismatch: stored 0x{stored:X8}, computed 0x{expected:X8}.");
        }

        if (!Finite.All<float>(parameters))
        {
            throw new InvalidDataException("The model has a non-finite parameter.");
        }

        try
        {
            return new ForecastModel(shape, levels, parameters, version);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Invalid model: {e.Message}", e);
        }
    }

    private static ModelShape ReadShape(ref ChecksummedReader reader)
    {
        int input = reader.ReadInt32();
        int hidden = reader.ReadInt32();
        int horizons = reader.ReadInt32();
        int quantiles = reader.ReadInt32();
        if (input < 1 || hidden < 1 || horizons < 1 || quantiles < 1 || quantiles > MaxQuantiles)
        {
            throw new InvalidDataException($"Invalid model shape: I={input}, H={hidden}, K={horizons}, Q={quantiles}.");
        }

        long outputs = (long)horizons * quantiles;
        long count = (4L * hidden * (input + hidden + 2)) + (outputs * (hidden + 1));
        if (count > MaxParameterCount)
        {
            throw new InvalidDataException($"Model shape I={input}, H={hidden}, K={horizons}, Q={quantiles} has {count} parameters, more than {MaxParameterCount}.");
        }

        return new ModelShape(input, hidden, horizons, quantiles);
    }

    private static int PutInt32(Span<byte> span, int offset, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], value);
        return offset + 4;
    }

    private static int PutSingles(Span<byte> span, int offset, ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[offset..], value);
            offset += 4;
        }

        return offset;
    }
}
