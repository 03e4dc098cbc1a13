using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Publish;

/// <summary>
/// Encodes one forecast record as compact UTF-8 JSON into a reused buffer:
/// <c>{"v":1,"metric","labels","ts","step_s","points","profile","model","model_version","status","served_by","anomaly","anomaly_score",
/// "quality":{"samples","abs_error","baseline_abs_error","scaled_error","baseline_scaled_error","scaled_error_1","baseline_scaled_error_1","coverage","baseline_coverage"},
/// "horizons":[{"h","ts","yhat","yhat_lower","yhat_upper","q":{"0.1":..}}]}</c>, with <c>"anomaly_likelihood"</c>
/// and <c>"band":[lower level, upper level]</c> (the quantile levels of <c>yhat_lower</c> and <c>yhat_upper</c>) after <c>anomaly_score</c>. Numbers carry
/// <see cref="ShortNumber.Digits"/> significant digits; a non-finite number is written as null, except in
/// <c>quality</c>, where a figure not measured yet is left out. <c>served_by</c> says which model produced
/// the quantiles: the LSTM (<c>lstm</c>) or the smoothing baseline (<c>baseline</c>, while warming up or in fallback).
/// The metric and labels are read from the series' UTF-8 id; every constant part is encoded once, at construction.
/// </summary>
internal sealed class ForecastRecordWriter : IDisposable
{
    public const int SchemaVersion = 1;

    private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"v\":" + SchemaVersion.ToString(CultureInfo.InvariantCulture) + ",\"metric\":\"");
    private static readonly byte[] Quality = "\"quality\":{\"samples\":"u8.ToArray();

    private readonly byte[] _modelPart;
    private readonly byte[][] _statusParts;
    private readonly List<LevelParts> _levelSets = [];
    private LevelParts _levels;
    private byte[][] _horizonHeads = [];
    private byte[] _buffer = new byte[4096];
    private int _length;

    private readonly byte[][] _profileParts;

    /// <summary>
    /// A writer for <paramref name="modelName"/>'s records; <paramref name="profileNames"/> names each profile by index
    /// (<see cref="SeriesEntry.ProfileIndex"/>), null: every series' profile is "default". Records of a forecaster with other
    /// quantile levels than <paramref name="quantileLevels"/> (another model group's) are written with those.
    /// </summary>
    public ForecastRecordWriter(string modelName, float[] quantileLevels, IReadOnlyList<string>? profileNames = null)
    {
        _profileParts = [.. (profileNames ?? [Profiles.DefaultProfile.Name]).Select(name => Encoding.UTF8.GetBytes(",\"profile\":" + JsonSerializer.Serialize(name)))];
        _modelPart = Encoding.UTF8.GetBytes(",\"model\":" + JsonSerializer.Serialize(modelName) + ",\"model_version\":");
        _statusParts = [Status("ok", "lstm"), Status("warming_up", "baseline"), Status("fallback", "baseline")];
        _levels = new LevelParts(quantileLevels);
        _levelSets.Add(_levels);
    }

    public void Dispose()
    {
    }

    /// <summary>Encodes the forecast of <paramref name="slot"/>; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(SeriesEntry series, long originMs, BatchForecaster forecaster, int slot)
    {
        UseLevels(forecaster.Settings.QuantileLevels);
        var quantiles = forecaster.Quantiles(slot);
        var horizons = quantiles.Length / _levels.Names.Length;
        Reserve(1024 + (series.Key.Length * 6) + (horizons * (300 + (_levels.Names.Length * 48))));
        _length = 0;
        Raw(Head);
        SeriesJson.WriteMetricAndLabels(series.Key, _buffer, ref _length);
        Raw(",\"ts\":"u8);
        Integer(originMs);
        Raw(",\"step_s\":"u8);
        var stepMs = series.Timeline.StepMs;
        Number(stepMs / 1000.0);
        Raw(",\"points\":"u8); // raw points in the forecast's step bucket (issue 11)
        Integer(series.BucketPoints);
        Raw(_profileParts[(uint)series.ProfileIndex < (uint)_profileParts.Length ? series.ProfileIndex : 0]);
        Raw(_modelPart);
        Integer(forecaster.ModelVersion);
        Raw(_statusParts[forecaster.Status(slot) switch
        {
            SeriesStatus.Ok => 0,
            SeriesStatus.WarmingUp => 1,
            _ => 2,
        }]);
        Integer(forecaster.AnomalyFlag(slot));
        Raw(",\"anomaly_score\":"u8);
        Number(forecaster.AnomalyScore(slot));
        Raw(",\"anomaly_likelihood\":"u8);
        Number(forecaster.AnomalyLikelihood(slot));
        Raw(_levels.Band);
        WriteQuality(series.State.Accuracy);
        WriteHorizons(originMs, stepMs, quantiles);
        Raw("}"u8);
        return _buffer.AsSpan(0, _length);
    }

    private void WriteHorizons(long originMs, long stepMs, ReadOnlySpan<double> quantiles)
    {
        var levels = _levels.Names.Length;
        Raw(",\"horizons\":["u8);
        for (var k = 0; k < quantiles.Length / levels; k++)
        {
            // Each quantile is formatted once and copied twice (band fields and map).
            var row = quantiles.Slice(k * levels, levels);
            for (var q = 0; q < levels; q++)
            {
                _levels.NumberLengths[q] = ShortNumber.Write(row[q], _levels.Numbers.AsSpan(q * ShortNumber.MaxLength, ShortNumber.MaxLength));
            }

            Raw(HorizonHead(k));
            Integer(originMs + ((k + 1) * stepMs));
            Raw(",\"yhat\":"u8);
            Formatted(_levels.Median);
            Raw(",\"yhat_lower\":"u8);
            Formatted(0);
            Raw(",\"yhat_upper\":"u8);
            Formatted(levels - 1);
            Raw(",\"q\":{"u8);
            for (var q = 0; q < levels; q++)
            {
                Raw(_levels.Names[q]);
                Formatted(q);
            }

            Raw("}}"u8);
        }

        Raw("]"u8);
    }

    /// <summary><c>,{"h":k+1,"ts":</c> (no comma before the first), encoded once per horizon.</summary>
    private byte[] HorizonHead(int k)
    {
        if (k >= _horizonHeads.Length)
        {
            var heads = new byte[k + 1][];
            for (var i = 0; i < heads.Length; i++)
            {
                heads[i] = Encoding.UTF8.GetBytes((i == 0 ? "{\"h\":" : ",{\"h\":") + (i + 1).ToString(CultureInfo.InvariantCulture) + ",\"ts\":");
            }

            _horizonHeads = heads;
        }

        return _horizonHeads[k];
    }

    private void WriteQuality(SeriesAccuracy accuracy)
    {
        Raw(Quality);
        Integer(accuracy.Samples);
        Measured(",\"abs_error\":"u8, accuracy.ModelAbsoluteError);
        Measured(",\"baseline_abs_error\":"u8, accuracy.BaselineAbsoluteError);
        Measured(",\"scaled_error\":"u8, accuracy.ModelScaledError);
        Measured(",\"baseline_scaled_error\":"u8, accuracy.BaselineScaledError);
        Measured(",\"scaled_error_1\":"u8, accuracy.ModelOneStepError); // one step ahead: what decides the fallback
        Measured(",\"baseline_scaled_error_1\":"u8, accuracy.BaselineOneStepError);
        Measured(",\"coverage\":"u8, accuracy.ModelCoverage);
        Measured(",\"baseline_coverage\":"u8, accuracy.BaselineCoverage);
        Raw("}"u8);
    }

    private void Measured(ReadOnlySpan<byte> name, double value)
    {
        if (double.IsFinite(value))
        {
            Raw(name);
            Number(value);
        }
    }

    private void Formatted(int q)
    {
        var length = _levels.NumberLengths[q];
        _levels.Numbers.AsSpan(q * ShortNumber.MaxLength, length).CopyTo(_buffer.AsSpan(_length));
        _length += length;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Number(double value) => _length += ShortNumber.Write(value, _buffer.AsSpan(_length));

    private void Integer(long value)
    {
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    /// <summary>Room for the longest record this series can give (the key's bytes can grow six-fold when escaped).</summary>
    private void Reserve(int bytes)
    {
        if (_buffer.Length < bytes)
        {
            _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
        }
    }

    private static byte[] Status(string status, string servedBy) =>
        Encoding.UTF8.GetBytes($",\"status\":\"{status}\",\"served_by\":\"{servedBy}\",\"anomaly\":");

    private static int MedianIndex(float[] levels)
    {
        var index = Array.IndexOf(levels, 0.5f);
        return index >= 0 ? index : levels.Length / 2;
    }

    /// <summary>Switches to the encoded parts of <paramref name="levels"/> (found by reference, else by value, else encoded once).</summary>
    private void UseLevels(float[] levels)
    {
        if (ReferenceEquals(levels, _levels.Levels))
        {
            return;
        }

        foreach (var set in _levelSets)
        {
            if (ReferenceEquals(levels, set.Levels) || levels.AsSpan().SequenceEqual(set.Levels))
            {
                _levels = set;
                return;
            }
        }

        _levels = new LevelParts(levels);
        _levelSets.Add(_levels);
    }

    /// <summary>The parts of a record that depend on its quantile levels, encoded once per level set.</summary>
    private sealed class LevelParts
    {
        public LevelParts(float[] levels)
        {
            Levels = levels;
            Names = new byte[levels.Length][];
            for (var q = 0; q < levels.Length; q++)
            {
                Names[q] = Encoding.UTF8.GetBytes((q == 0 ? "\"" : ",\"") + levels[q].ToString(CultureInfo.InvariantCulture) + "\":");
            }

            Band = Encoding.UTF8.GetBytes(",\"band\":[" + levels[0].ToString(CultureInfo.InvariantCulture) + "," + levels[^1].ToString(CultureInfo.InvariantCulture) + "],");
            Median = MedianIndex(levels);
            Numbers = new byte[levels.Length * ShortNumber.MaxLength];
            NumberLengths = new int[levels.Length];
        }

        public float[] Levels { get; }

        public byte[][] Names { get; }

        public byte[] Band { get; }

        public int Median { get; }

        public byte[] Numbers { get; }

        public int[] NumberLengths { get; }
    }
}
