using System.Buffers.Binary;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Checkpoints;

public class ModelSerializerTests
{
    // Byte offsets in a version-1 file (see ModelSerializer).
    private const int FormatVersionOffset = 8;
    private const int HiddenSizeOffset = 16;
    private const int QuantileLevelsOffset = 28;

    [Fact]
    public void Round_trip_is_bit_identical()
    {
        var model = MakeModel(seed: 1);
        byte[] bytes = Serialize(model);

        var read = ModelSerializer.Read(new MemoryStream(bytes));

        Assert.Equal(model.Shape, read.Shape);
        Assert.Equal(model.Version, read.Version);
        Assert.Equal(Bits(model.QuantileLevels), Bits(read.QuantileLevels));
        Assert.Equal(Bits(model.Parameters), Bits(read.Parameters));
        Assert.Equal(bytes, Serialize(read));
    }

    [Fact]
    public void Reader_consumes_exactly_one_model()
    {
        var stream = new MemoryStream();
        ModelSerializer.Write(MakeModel(seed: 2, version: 5), stream);
        ModelSerializer.Write(MakeModel(seed: 3, version: 6), stream);
        stream.Position = 0;

        Assert.Equal(5, ModelSerializer.Read(stream).Version);
        Assert.Equal(6, ModelSerializer.Read(stream).Version);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        byte[] bytes = Serialize(MakeModel(seed: 4));
        for (int length = 0; length < bytes.Length; length++)
        {
            var truncated = new MemoryStream(bytes, 0, length);
            Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(truncated));
        }
    }

    [Fact]
    public void Foreign_magic_is_refused()
    {
        byte[] bytes = Serialize(MakeModel(seed: 5));
        bytes[0] = (byte)'X';
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes)));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Newer_format_version_is_refused()
    {
        byte[] bytes = Serialize(MakeModel(seed: 6));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(FormatVersionOffset), ModelSerializer.FormatVersion + 1);
        Reseal(bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes)));
        Assert.Contains("version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_that_does_not_match_the_parameter_count_is_refused()
    {
        byte[] bytes = Serialize(MakeModel(seed: 7));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(HiddenSizeOffset), 4);
        Reseal(bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes)));
        Assert.Contains("parameters but shape", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_shape_and_quantile_levels_are_refused()
    {
        byte[] zeroHidden = Serialize(MakeModel(seed: 8));
        BinaryPrimitives.WriteInt32LittleEndian(zeroHidden.AsSpan(HiddenSizeOffset), 0);
        Reseal(zeroHidden);
        Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(zeroHidden)));

        byte[] badLevel = Serialize(MakeModel(seed: 9));
        BinaryPrimitives.WriteSingleLittleEndian(badLevel.AsSpan(QuantileLevelsOffset), 1.5f);
        Reseal(badLevel);
        Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(badLevel)));
    }

    [Fact]
    public void Checksum_mismatch_is_refused()
    {
        byte[] bytes = Serialize(MakeModel(seed: 10));
        bytes[bytes.Length - 10] ^= 0x01;   // one bit of the last parameter
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes)));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_parameter_is_refused_by_reader_and_writer()
    {
        var model = MakeModel(seed: 11);
        byte[] bytes = Serialize(model);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 8), float.NaN);
        Reseal(bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes)));
        Assert.Contains("non-finite", e.Message, StringComparison.Ordinal);

        model.Parameters[0] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => ModelSerializer.Write(model, new MemoryStream()));
    }

    private static ForecastModel MakeModel(int seed, long version = 42)
    {
        var shape = new ModelShape(InputSize: 3, HiddenSize: 5, Horizons: 4, Quantiles: 3);
        var random = new Random(seed);
        var parameters = new float[shape.ParameterCount];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)((random.NextDouble() * 2) - 1);
        }

        parameters[0] = -0f;
        parameters[1] = float.Epsilon;
        return new ForecastModel(shape, [0.1f, 0.5f, 0.9f], parameters, version);
    }

    private static byte[] Serialize(ForecastModel model)
    {
        var stream = new MemoryStream();
        ModelSerializer.Write(model, stream);
        return stream.ToArray();
    }

    /// <summary>Recomputes the trailing checksum after a deliberate edit, so the edit itself is what is refused.</summary>
    private static void Reseal(byte[] bytes) =>
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4)));

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
