using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Publish;

/// <summary>
/// Encodes one forecast record as compact UTF-8 JSON into a reused buffer:
/// <c>{"v":1,"metric","labels","ts","step_s","model","model_version","status","served_by","anomaly","anomaly_score",
/// "quality":{"samples","abs_error","baseline_abs_error","scaled_error","baseline_scaled_error","coverage","baseline_coverage"},
/// "horizons":[{"h","ts","yhat","yhat_lower","yhat_upper","q":{"0.1":..}}]}</c>. Numbers are written at
/// float precision (what the model computes in); a non-finite number is written as null, except in
/// <c>quality</c>, where a figure not measured yet is left out. <c>served_by</c> says which model produced
/// the quantiles: the LSTM (<c>lstm</c>) or the smoothing baseline (<c>baseline</c>, while warming up or in fallback).
/// </summary>
internal sealed class ForecastRecordWriter : IDisposable
{
    public const int SchemaVersion = 1;

    private static readonly JsonEncodedText V = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText MetricName = JsonEncodedText.Encode("metric");
    private static readonly JsonEncodedText LabelsName = JsonEncodedText.Encode("labels");
    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText StepS = JsonEncodedText.Encode("step_s");
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText ModelVersion = JsonEncodedText.Encode("model_version");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Anomaly = JsonEncodedText.Encode("anomaly");
    private static readonly JsonEncodedText AnomalyScore = JsonEncodedText.Encode("anomaly_score");
    private static readonly JsonEncodedText Horizons = JsonEncodedText.Encode("horizons");
    private static readonly JsonEncodedText H = JsonEncodedText.Encode("h");
    private static readonly JsonEncodedText Yhat = JsonEncodedText.Encode("yhat");
    private static readonly JsonEncodedText Lower = JsonEncodedText.Encode("yhat_lower");
    private static readonly JsonEncodedText Upper = JsonEncodedText.Encode("yhat_upper");
    private static readonly JsonEncodedText Q = JsonEncodedText.Encode("q");
    private static readonly JsonEncodedText Ok = JsonEncodedText.Encode("ok");
    private static readonly JsonEncodedText WarmingUp = JsonEncodedText.Encode("warming_up");
    private static readonly JsonEncodedText Fallback = JsonEncodedText.Encode("fallback");
    private static readonly JsonEncodedText ServedBy = JsonEncodedText.Encode("served_by");
    private static readonly JsonEncodedText Lstm = JsonEncodedText.Encode("lstm");
    private static readonly JsonEncodedText Baseline = JsonEncodedText.Encode("baseline");
    private static readonly JsonEncodedText Quality = JsonEncodedText.Encode("quality");
    private static readonly JsonEncodedText Samples = JsonEncodedText.Encode("samples");
    private static readonly JsonEncodedText ScaledError = JsonEncodedText.Encode("scaled_error");
    private static readonly JsonEncodedText BaselineScaledError = JsonEncodedText.Encode("baseline_scaled_error");
    private static readonly JsonEncodedText Coverage = JsonEncodedText.Encode("coverage");
    private static readonly JsonEncodedText BaselineCoverage = JsonEncodedText.Encode("baseline_coverage");
    private static readonly JsonEncodedText AbsoluteError = JsonEncodedText.Encode("abs_error");
    private static readonly JsonEncodedText BaselineAbsoluteError = JsonEncodedText.Encode("baseline_abs_error");

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly JsonEncodedText _model;
    private readonly JsonEncodedText[] _levels;
    private readonly int _median;
    private const int NumberWidth = 32;
    private readonly byte[] _numbers;
    private readonly int[] _numberLengths;

    public ForecastRecordWriter(string modelName, float[] quantileLevels)
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _model = JsonEncodedText.Encode(modelName);
        _levels = Array.ConvertAll(quantileLevels, l => JsonEncodedText.Encode(l.ToString(CultureInfo.InvariantCulture)));
        _median = MedianIndex(quantileLevels);
        _numbers = new byte[quantileLevels.Length * NumberWidth];
        _numberLengths = new int[quantileLevels.Length];
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Encodes the forecast of <paramref name="slot"/>; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(SeriesEntry series, long originMs, BatchForecaster forecaster, int slot)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var w = _writer;
        w.WriteStartObject();
        w.WriteNumber(V, SchemaVersion);
        w.WriteString(MetricName, series.Metric);
        w.WriteStartObject(LabelsName);
        for (var i = 0; i < series.Labels.Length; i += 2)
        {
            w.WriteString(series.Labels[i], series.Labels[i + 1]);
        }

        w.WriteEndObject();
        var stepMs = series.Timeline.StepMs;
        w.WriteNumber(Ts, originMs);
        w.WriteNumber(StepS, stepMs / 1000.0);
        w.WriteString(ModelName, _model);
        w.WriteNumber(ModelVersion, forecaster.ModelVersion);
        var status = forecaster.Status(slot);
        w.WriteString(StatusName, status switch
        {
            SeriesStatus.Ok => Ok,
            SeriesStatus.WarmingUp => WarmingUp,
            _ => Fallback,
        });
        w.WriteString(ServedBy, status == SeriesStatus.Ok ? Lstm : Baseline);
        w.WriteNumber(Anomaly, forecaster.AnomalyFlag(slot));
        WriteNumber(w, AnomalyScore, forecaster.AnomalyScore(slot));
        WriteQuality(w, series.State.Accuracy);
        WriteHorizons(w, originMs, stepMs, forecaster.Quantiles(slot));
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenSpan;
    }

    private void WriteHorizons(Utf8JsonWriter w, long originMs, long stepMs, ReadOnlySpan<double> quantiles)
    {
        var levels = _levels.Length;
        w.WriteStartArray(Horizons);
        for (var k = 0; k < quantiles.Length / levels; k++)
        {
            // Each quantile is formatted once and written raw twice (band fields and map): formatting dominates the cost.
            var row = quantiles.Slice(k * levels, levels);
            for (var q = 0; q < levels; q++)
            {
                _numberLengths[q] = Format(row[q], _numbers.AsSpan(q * NumberWidth, NumberWidth));
            }

            w.WriteStartObject();
            w.WriteNumber(H, k + 1);
            w.WriteNumber(Ts, originMs + ((k + 1) * stepMs));
            WriteFormatted(w, Yhat, _median);
            WriteFormatted(w, Lower, 0);
            WriteFormatted(w, Upper, levels - 1);
            w.WriteStartObject(Q);
            for (var q = 0; q < levels; q++)
            {
                WriteFormatted(w, _levels[q], q);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteQuality(Utf8JsonWriter w, SeriesAccuracy accuracy)
    {
        w.WriteStartObject(Quality);
        w.WriteNumber(Samples, accuracy.Samples);
        WriteMeasured(w, AbsoluteError, accuracy.ModelAbsoluteError);
        WriteMeasured(w, BaselineAbsoluteError, accuracy.BaselineAbsoluteError);
        WriteMeasured(w, ScaledError, accuracy.ModelScaledError);
        WriteMeasured(w, BaselineScaledError, accuracy.BaselineScaledError);
        WriteMeasured(w, Coverage, accuracy.ModelCoverage);
        WriteMeasured(w, BaselineCoverage, accuracy.BaselineCoverage);
        w.WriteEndObject();
    }

    private static void WriteMeasured(Utf8JsonWriter w, JsonEncodedText name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, (float)value);
        }
    }

    private void WriteFormatted(Utf8JsonWriter w, JsonEncodedText name, int q)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(_numbers.AsSpan(q * NumberWidth, _numberLengths[q]), skipInputValidation: true);
    }

    /// <summary>Shortest round-trip text of the value at float precision, or <c>null</c> when not finite.</summary>
    private static int Format(double value, Span<byte> destination)
    {
        if (double.IsFinite(value) && Math.Abs(value) < float.MaxValue && ((float)value).TryFormat(destination, out var written, default, CultureInfo.InvariantCulture))
        {
            return written;
        }

        "null"u8.CopyTo(destination);
        return 4;
    }

    private static void WriteNumber(Utf8JsonWriter w, JsonEncodedText name, double value)
    {
        if (double.IsFinite(value) && Math.Abs(value) < float.MaxValue)
        {
            w.WriteNumber(name, (float)value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static int MedianIndex(float[] levels)
    {
        var index = Array.IndexOf(levels, 0.5f);
        return index >= 0 ? index : levels.Length / 2;
    }
}
