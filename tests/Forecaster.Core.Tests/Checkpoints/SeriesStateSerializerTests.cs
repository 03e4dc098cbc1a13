using System.Buffers.Binary;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;

namespace Forecaster.Core.Tests.Checkpoints;

public class SeriesStateSerializerTests
{
    // Byte offsets in a record (see SeriesStateSerializer); the same in versions 1 to 4 (5 adds "readable from" after the shape).
    // Version 3 is version 4 without the one-step error block, version 2 also without the smoothing-weights block,
    // version 1 also without the anomaly block.
    private const int OneStepBytes = 2 * 8;
    private const int WeightsBytes = 1 + 4 + 4;
    private const int AnomalyBytes = 4 + 4 + 4 + 4 + 4 + 3 + (2 * Forecaster.Core.Anomaly.AnomalyState.Window);
    private const int FormatVersionOffset = 8;
    private const int HiddenSizeOffset = 12;

    private static readonly ForecastSettings Settings = new()
    {
        Season = 8,
        WeeklySeason = 24,
        WarmupPoints = 16,
        HistoryCapacity = 40,
        HiddenSize = 8,
        Horizons = 4,
        SmoothingFitPoints = 30,
    };

    private static readonly ForecastSettings PerSeries = Settings with { PerSeriesSmoothing = true };

    private static double Wave(long t) => 100 * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 8.0)) + (0.05 * Math.Cos(t * 0.7)));

    /// <summary>A series stepped <paramref name="points"/> times (gaps included) by <paramref name="forecaster"/>.</summary>
    private static SeriesState Stepped(BatchForecaster forecaster, int points)
    {
        var series = forecaster.CreateSeries();
        for (var t = 0; t < points; t++)
        {
            forecaster.Add(series, t * 60_000L, t % 13 == 5 ? double.NaN : Wave(t));
            forecaster.Step();
        }

        return series;
    }

    private static byte[] Serialize(SeriesState state)
    {
        var buffer = new byte[SeriesStateSerializer.MaxLength(Settings)];
        return buffer[..SeriesStateSerializer.Write(state, Settings, buffer)];
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(30, false)]
    [InlineData(100, false)]
    [InlineData(100, true)]
    public void Round_trip_is_bit_identical_and_the_restored_series_forecasts_exactly_as_the_original(int points, bool perSeries)
    {
        var forecaster = new BatchForecaster(perSeries ? PerSeries : Settings, 2);
        var original = Stepped(forecaster, points);
        Assert.Equal(perSeries && points >= 30, original.SmoothingFitted);
        var bytes = Serialize(original);

        var restored = SeriesStateSerializer.Read(bytes, Settings, out var consumed);

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(bytes, Serialize(restored));
        Assert.Equal(original.Steps, restored.Steps);
        Assert.Equal(original.Initialized, restored.Initialized);
        Assert.Equal(SeriesSmoothingFit.Coefficients(original, Settings), SeriesSmoothingFit.Coefficients(restored, Settings));
        Assert.Equal(original.History.Count, restored.History.Count);
        Assert.Equal(original.Accuracy.Samples, restored.Accuracy.Samples);
        Assert.Equal(BitConverter.DoubleToInt64Bits(original.Accuracy.ModelScaledError), BitConverter.DoubleToInt64Bits(restored.Accuracy.ModelScaledError));
        for (var t = points; t < points + 60; t++)
        {
            var a = forecaster.Add(original, t * 60_000L, Wave(t));
            var b = forecaster.Add(restored, t * 60_000L, Wave(t));
            forecaster.Step();
            Assert.Equal(forecaster.Status(a), forecaster.Status(b));
            Assert.Equal(forecaster.AnomalyScore(a), forecaster.AnomalyScore(b));
            Assert.Equal(forecaster.AnomalyLikelihood(a), forecaster.AnomalyLikelihood(b));
            Assert.Equal(forecaster.AnomalyFlag(a), forecaster.AnomalyFlag(b));
            Assert.Equal(Bits(forecaster.Quantiles(a)), Bits(forecaster.Quantiles(b)));
        }

        Assert.Equal(Serialize(original), Serialize(restored));
    }

    [Fact]
    public void A_version_1_record_restores_with_a_fresh_anomaly_state_and_forecasts_as_before()
    {
        var forecaster = new BatchForecaster(Settings, 2);
        var original = Stepped(forecaster, 300);
        var current = Serialize(original);
        var old = Older(current, 1);
        Assert.True(original.Anomaly.Samples > 0);

        var restored = SeriesStateSerializer.Read(old, Settings, out var consumed);

        Assert.Equal(old.Length, consumed);
        Assert.Equal(0, restored.Anomaly.Samples);
        Assert.Equal(original.Steps, restored.Steps);
        for (var t = 300; t < 400; t++)
        {
            var a = forecaster.Add(original, t * 60_000L, Wave(t));
            var b = forecaster.Add(restored, t * 60_000L, Wave(t));
            forecaster.Step();
            Assert.Equal(Bits(forecaster.Quantiles(a)), Bits(forecaster.Quantiles(b)));
            Assert.Equal(0, forecaster.AnomalyFlag(b));
        }

        Assert.Equal(current.Length, Serialize(restored).Length);
    }

    [Fact]
    public void A_version_2_record_restores_unfitted_and_fits_at_its_next_observation_when_the_setting_is_on()
    {
        var plain = new BatchForecaster(Settings, 2);
        var original = Stepped(plain, 300);
        var current = Serialize(original);

        var restored = SeriesStateSerializer.Read(Older(current, 2), Settings, out _);

        Assert.False(restored.SmoothingFitted);
        Assert.Equal(original.Anomaly.Samples, restored.Anomaly.Samples);
        Assert.Equal(current[..^(4 + OneStepBytes)], Serialize(restored)[..^(4 + OneStepBytes)]); // all but the one-step errors (v4) and the checksum
        var fitted = new BatchForecaster(PerSeries, 1);
        fitted.Add(restored, 300 * 60_000L, Wave(300));
        fitted.Step();
        Assert.True(restored.SmoothingFitted);
    }

    [Fact]
    public void A_version_3_record_restores_with_the_pooled_errors_deciding_the_fallback_until_one_step_scores_replace_them()
    {
        var forecaster = new BatchForecaster(Settings, 2);
        var original = Stepped(forecaster, 300);
        var a = original.Accuracy;
        Assert.NotEqual(a.ModelScaledError, a.ModelOneStepError); // the pooled errors hold the K-step ones too
        var current = Serialize(original);

        var restored = SeriesStateSerializer.Read(Older(current, 3), Settings, out _);

        Assert.Equal((a.ModelScaledError, a.BaselineScaledError), (restored.Accuracy.ModelOneStepError, restored.Accuracy.BaselineOneStepError));
        Assert.Equal(current[..^(4 + OneStepBytes)], Serialize(restored)[..^(4 + OneStepBytes)]);
        Assert.Equal((a.ModelOneStepError, a.BaselineOneStepError), (SeriesStateSerializer.Read(current, Settings, out _).Accuracy.ModelOneStepError, SeriesStateSerializer.Read(current, Settings, out _).Accuracy.BaselineOneStepError));
    }

    [Fact]
    public void Impossible_smoothing_weights_are_refused()
    {
        var bytes = Serialize(Stepped(new BatchForecaster(PerSeries, 1), 60));
        var weightsAt = bytes.Length - 4 - OneStepBytes - WeightsBytes;
        Assert.Equal(1, bytes[weightsAt]);
        var broken = Changed(bytes, b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(weightsAt + 1), 1.5f));
        BinaryPrimitives.WriteUInt32LittleEndian(broken.AsSpan(broken.Length - 4), Crc32.Compute(broken.AsSpan(0, broken.Length - 4)));

        Assert.Contains("smoothing weights", Refused(broken), StringComparison.Ordinal);
    }

    /// <summary>A current record rewritten as format <paramref name="version"/> (its newer blocks cut off, checksum renewed).</summary>
    private static byte[] Older(byte[] current, int version)
    {
        var cut = OneStepBytes + (version < 3 ? WeightsBytes : 0) + (version < 2 ? AnomalyBytes : 0);
        var old = current[..(current.Length - 4 - cut)];
        BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(FormatVersionOffset), version);
        old = [.. old, .. new byte[4]];
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(old.Length - 4), Crc32.Compute(old.AsSpan(0, old.Length - 4)));
        return old;
    }

    [Fact]
    public void Reader_consumes_exactly_one_record()
    {
        var forecaster = new BatchForecaster(Settings, 1);
        var first = Serialize(Stepped(forecaster, 50));
        var second = Serialize(Stepped(forecaster, 3));

        var state = SeriesStateSerializer.Read([.. first, .. second], Settings, out var consumed);

        Assert.Equal(first.Length, consumed);
        Assert.Equal(50, state.Steps);
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var bytes = Serialize(Stepped(new BatchForecaster(Settings, 1), 30));
        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => SeriesStateSerializer.Read(bytes.AsSpan(0, length), Settings, out _));
            Assert.False(string.IsNullOrEmpty(e.Message));
        }
    }

    [Fact]
    public void Foreign_newer_corrupt_and_mismatched_records_are_refused_with_the_reason()
    {
        var bytes = Serialize(Stepped(new BatchForecaster(Settings, 1), 30));

        Assert.Contains("magic", Refused(Changed(bytes, b => b[0] = (byte)'X')), StringComparison.Ordinal);
        Assert.Contains("magic", Refused("{\"metric\":\"m\",\"ts\":1,\"value\":2}"u8.ToArray()), StringComparison.Ordinal);
        Assert.Contains("version 0", Refused(Changed(bytes, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(FormatVersionOffset), 0))), StringComparison.Ordinal);
        Assert.Contains("checksum", Refused(Changed(bytes, b => b[^20] ^= 0x10)), StringComparison.Ordinal);
        Assert.Contains("shape", Refused(Changed(bytes, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(HiddenSizeOffset), 16))), StringComparison.Ordinal);
        var other = Settings with { HiddenSize = 16 };
        var e = Assert.Throws<InvalidDataException>(() => SeriesStateSerializer.Read(bytes, other, out _));
        Assert.Contains("does not fit", e.Message, StringComparison.Ordinal);
    }

    /// <summary><paramref name="state"/> as a build of format <paramref name="version"/> would write it, readable from <paramref name="readableFrom"/>, with <paramref name="extension"/> for its new fields.</summary>
    private static byte[] Newer(SeriesState state, int version, int readableFrom, byte[] extension)
    {
        var buffer = new byte[SeriesStateSerializer.MaxLength(Settings) + 8 + extension.Length];
        return buffer[..SeriesStateSerializer.Write(state, Settings, buffer, version, readableFrom, extension)];
    }

    [Fact]
    public void This_build_writes_format_4_which_the_builds_before_it_read()
    {
        var bytes = Serialize(Stepped(new BatchForecaster(Settings, 1), 30));

        Assert.Equal(4, SeriesStateSerializer.WrittenVersion);
        Assert.Equal(SeriesStateSerializer.WrittenVersion, SeriesStateSerializer.RecordVersion(bytes));
        Assert.Equal(SeriesStateSerializer.MaxLength(Settings) - (4 * (Settings.HistoryCapacity - 30)), bytes.Length);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(7, 40)]
    public void A_record_of_a_newer_format_readable_from_5_restores_as_this_build_s_own_record_and_forecasts_the_same(int version, int extensionBytes)
    {
        var forecaster = new BatchForecaster(PerSeries, 2);
        var original = Stepped(forecaster, 60);
        var extension = Enumerable.Range(0, extensionBytes).Select(i => (byte)(0xA5 ^ i)).ToArray();
        var newer = Newer(original, version, 5, extension);
        var own = Serialize(original);
        Assert.Equal(own.Length + 8 + extensionBytes, newer.Length);

        var restored = SeriesStateSerializer.Read([.. newer, .. own], Settings, out var consumed);

        Assert.Equal(newer.Length, consumed);
        Assert.Equal(version, SeriesStateSerializer.RecordVersion(newer));
        Assert.Equal(own, Serialize(restored));
        var copy = SeriesStateSerializer.Read(own, Settings, out _);
        for (var t = 60; t < 90; t++)
        {
            var a = forecaster.Add(restored, t * 60_000L, Wave(t));
            var b = forecaster.Add(copy, t * 60_000L, Wave(t));
            forecaster.Step();
            Assert.Equal(Bits(forecaster.Quantiles(a)), Bits(forecaster.Quantiles(b)));
        }
    }

    [Fact]
    public void A_record_only_a_newer_reader_reads_is_refused_with_both_formats_and_nothing_newer_is_mistaken_for_it()
    {
        var state = Stepped(new BatchForecaster(Settings, 1), 30);

        var e = Refused(Newer(state, 7, 6, [1, 2, 3]));
        Assert.Contains("version 7", e, StringComparison.Ordinal);
        Assert.Contains("format 6 or newer", e, StringComparison.Ordinal);
        Assert.Contains("this build reads 1 to 5", e, StringComparison.Ordinal);

        var impossible = Newer(state, 7, 5, []);
        BinaryPrimitives.WriteInt32LittleEndian(impossible.AsSpan(HiddenSizeOffset + 20), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(impossible.AsSpan(impossible.Length - 4), Crc32.Compute(impossible.AsSpan(0, impossible.Length - 4)));
        Assert.Contains("impossible", Refused(impossible), StringComparison.Ordinal);

        var overrun = Newer(state, 6, 5, [9, 9]);
        BinaryPrimitives.WriteInt32LittleEndian(overrun.AsSpan(overrun.Length - 4 - 2 - 4), 1);
        Assert.Contains("checksum", Refused(overrun), StringComparison.Ordinal);
        BinaryPrimitives.WriteInt32LittleEndian(overrun.AsSpan(overrun.Length - 4 - 2 - 4), 1 << 30);
        Assert.Contains("extension", Refused(overrun), StringComparison.Ordinal);

        var extended = Newer(state, 6, 5, [9, 9]);
        for (var length = 0; length < extended.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => SeriesStateSerializer.Read(extended.AsSpan(0, length), Settings, out _));
        }
    }

    [Fact]
    public void Writing_a_state_of_other_settings_is_refused()
    {
        var state = new BatchForecaster(Settings, 1).CreateSeries();
        var other = Settings with { HiddenSize = 16 };
        Assert.Throws<ArgumentException>(() => SeriesStateSerializer.Write(state, other, new byte[SeriesStateSerializer.MaxLength(other)]));
        Assert.Throws<ArgumentException>(() => SeriesStateSerializer.Write(state, Settings, new byte[10]));
    }

    private static string Refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => SeriesStateSerializer.Read(bytes, Settings, out _)).Message;

    private static byte[] Changed(byte[] bytes, Action<byte[]> change)
    {
        var copy = (byte[])bytes.Clone();
        change(copy);
        return copy;
    }

    private static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }
}
