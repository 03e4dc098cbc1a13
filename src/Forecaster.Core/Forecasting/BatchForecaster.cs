using Forecaster.Core.Anomaly;
using Forecaster.Core.Lstm;
using Forecaster.Core.Series;

namespace Forecaster.Core.Forecasting;

/// <summary>
/// Online forecasting for the series of one shard: observations are added to a pending batch, and one
/// <see cref="Step"/> advances every pending series through the smoothing state, one batched LSTM step and
/// the quantile head. Not thread-safe: one thread (the consume thread) owns it and its series.
/// Nothing is allocated per observation after construction.
/// </summary>
public sealed class BatchForecaster
{
    private readonly ForecastSettings _settings;
    private readonly int _inputSize;
    private readonly int _hiddenSize;
    private readonly int _outputSize;
    private readonly InferenceWorkspace _workspace;
    private readonly SeriesState?[] _slots;
    private readonly bool[] _hasFeatures;
    private readonly float[] _inputs;
    private readonly float[] _hidden;
    private readonly float[] _cell;
    private readonly float[] _outputs;
    private readonly double[] _quantiles;
    private readonly double[] _modelQuantiles;
    private readonly double[] _baselineQuantiles;
    private readonly double[] _baselineOffsets;
    private readonly SeriesStatus[] _status;
    private readonly int[] _anomalyFlags;
    private readonly double[] _anomalyScores;
    private readonly double[] _likelihoods;
    private readonly int[] _directions;
    private readonly double _lowerScore;
    private readonly double _upperScore;
    private int _pending;

    /// <summary>A forecaster with the seeded initial model of <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public BatchForecaster(ForecastSettings settings, int maxBatch)
        : this(ModelFactory.CreateInitial(settings), settings, maxBatch)
    {
    }

    /// <exception cref="ArgumentException">A setting is invalid or the model's shape does not fit the settings.</exception>
    public BatchForecaster(ForecastModel model, ForecastSettings settings, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _settings = settings;
        var shape = ModelFactory.ShapeFor(settings);
        Model = Checked(model, shape);
        _inputSize = shape.InputSize;
        _hiddenSize = shape.HiddenSize;
        _outputSize = shape.OutputSize;
        _workspace = new InferenceWorkspace(shape, maxBatch);
        _slots = new SeriesState?[maxBatch];
        _hasFeatures = new bool[maxBatch];
        _inputs = new float[maxBatch * _inputSize];
        _hidden = new float[maxBatch * _hiddenSize];
        _cell = new float[maxBatch * _hiddenSize];
        _outputs = new float[maxBatch * _outputSize];
        _quantiles = new double[maxBatch * _outputSize];
        _modelQuantiles = new double[_outputSize];
        _baselineQuantiles = new double[_outputSize];
        _baselineOffsets = ModelFactory.BaselineOffsets(settings);
        _status = new SeriesStatus[maxBatch];
        _anomalyFlags = new int[maxBatch];
        _anomalyScores = new double[maxBatch];
        _likelihoods = new double[maxBatch];
        _directions = new int[maxBatch];
        _lowerScore = NormalQuantile.Of(settings.QuantileLevels[0]);
        _upperScore = NormalQuantile.Of(settings.QuantileLevels[^1]);
    }

    public ForecastSettings Settings => _settings;

    /// <summary>The model serving now.</summary>
    public ForecastModel Model { get; private set; }

    public long ModelVersion => Model.Version;

    public int MaxBatch => _slots.Length;

    /// <summary>Series added since the last <see cref="Step"/>.</summary>
    public int PendingCount => _pending;

    /// <summary>Slots with results from the last <see cref="Step"/>, readable until the next <see cref="Add"/>.</summary>
    public int ResultCount { get; private set; }

    public SeriesState CreateSeries() => new(_settings);

    public bool IsPending(SeriesState series) => ReferenceEquals(series.PendingOwner, this);

    /// <summary>Replaces the serving model between steps (the states of the series are kept).</summary>
    /// <exception cref="ArgumentException">The model's shape does not fit the settings.</exception>
    /// <exception cref="InvalidOperationException">Series are pending.</exception>
    public void SwapModel(ForecastModel model)
    {
        if (_pending > 0)
        {
            throw new InvalidOperationException("Swap the model between steps, not while series are pending.");
        }

        Model = Checked(model, ModelFactory.ShapeFor(_settings));
    }

    /// <summary>
    /// Adds one observation at the series' next regular step (NaN = gap, never trained on) and returns its slot.
    /// </summary>
    /// <param name="series">The series observed.</param>
    /// <param name="timestampMs">Its time (a multiple of the step; phases come from it).</param>
    /// <param name="value">The value, NaN for a gap.</param>
    /// <param name="stepMs">The series' step when the caller knows it; 0 takes the smallest spacing seen.</param>
    /// <exception cref="InvalidOperationException">The series is already pending, or the batch is full: call <see cref="Step"/> first.</exception>
    public int Add(SeriesState series, long timestampMs, double value, long stepMs = 0)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.PendingOwner is not null)
        {
            throw new InvalidOperationException("The series is already pending: call Step first.");
        }

        if (_pending == _slots.Length)
        {
            throw new InvalidOperationException($"The batch is full ({_slots.Length} series): call Step first.");
        }

        ResultCount = 0;
        var slot = _pending++;
        _slots[slot] = series;
        series.PendingOwner = this;
        series.PendingSlot = slot;
        ScoreAnomaly(series, value, slot);
        var history = series.History;
        var seasonAgo = history.Count >= _settings.Season ? history.Back(_settings.Season - 1) : float.NaN;
        series.Accuracy.Score(series.Steps, value, seasonAgo);
        _hasFeatures[slot] = SeriesFeatures.Observe(series, _settings, timestampMs, value, _inputs.AsSpan(slot * _inputSize, _inputSize), stepMs);
        return slot;
    }

    /// <summary>Advances every pending series by one LSTM step and computes their forecasts.</summary>
    public void Step()
    {
        var batch = _pending;
        if (batch == 0)
        {
            ResultCount = 0;
            return;
        }

        for (var slot = 0; slot < batch; slot++)
        {
            var series = _slots[slot]!;
            if (!_hasFeatures[slot])
            {
                _inputs.AsSpan(slot * _inputSize, _inputSize).Clear();
            }

            series.Hidden.CopyTo(_hidden.AsSpan(slot * _hiddenSize, _hiddenSize));
            series.Cell.CopyTo(_cell.AsSpan(slot * _hiddenSize, _hiddenSize));
        }

        LstmInference.Step(Model, _workspace, batch, _inputs.AsSpan(0, batch * _inputSize), _hidden.AsSpan(0, batch * _hiddenSize), _cell.AsSpan(0, batch * _hiddenSize), _outputs.AsSpan(0, batch * _outputSize));
        for (var slot = 0; slot < batch; slot++)
        {
            var series = _slots[slot]!;
            if (_hasFeatures[slot])
            {
                _hidden.AsSpan(slot * _hiddenSize, _hiddenSize).CopyTo(series.Hidden);
                _cell.AsSpan(slot * _hiddenSize, _hiddenSize).CopyTo(series.Cell);
            }

            _status[slot] = Publish(series, _hasFeatures[slot], _outputs.AsSpan(slot * _outputSize, _outputSize), _quantiles.AsSpan(slot * _outputSize, _outputSize));
            if (_directions[slot] != 0)
            {
                // Gaps and points without a previous band leave the hysteresis alone.
                _anomalyFlags[slot] = AnomalyEvent.Next(ref series.Anomaly, _likelihoods[slot], _directions[slot], _settings.AnomalyThreshold, _status[slot] != SeriesStatus.WarmingUp);
            }
            RememberBand(series, slot);
            series.PendingOwner = null;
            _slots[slot] = null;
        }

        _pending = 0;
        ResultCount = batch;
    }

    public SeriesStatus Status(int slot) => _status[CheckedSlot(slot)];

    /// <summary>Forecast quantiles in original units, [K*Q] horizon-major (index k*Q + q, horizon k+1).</summary>
    public ReadOnlySpan<double> Quantiles(int slot) => _quantiles.AsSpan(CheckedSlot(slot) * _outputSize, _outputSize);

    /// <summary>
    /// The anomaly event of this step: 1 (above the forecast) or −1 (below) when the likelihood reached
    /// <see cref="ForecastSettings.AnomalyThreshold"/> while armed and the series is not warming up; else 0.
    /// </summary>
    public int AnomalyFlag(int slot) => _anomalyFlags[CheckedSlot(slot)];

    /// <summary>The sign of this step's recent surprises (1 above, −1 below the forecast), or 0 when the point had no band to be scored against (a gap, the first step).</summary>
    public int AnomalyDirection(int slot) => _directions[CheckedSlot(slot)];

    /// <summary>The anomaly likelihood in [0, 1] after this step's observation (0 for a gap or before there is a history of surprises).</summary>
    public double AnomalyLikelihood(int slot) => _likelihoods[CheckedSlot(slot)];

    /// <summary>Distance of the observed point from the previous one-step median in half band widths (signed; 0 when unknown).</summary>
    public double AnomalyScore(int slot) => _anomalyScores[CheckedSlot(slot)];

    /// <summary>
    /// Decodes the model's and the baseline's quantiles, remembers both for scoring, and writes the ones that
    /// serve: the baseline while warming up or in fallback (the model has been losing to the baseline on this
    /// series' recent actuals), else the model.
    /// </summary>
    private SeriesStatus Publish(SeriesState series, bool hasFeatures, ReadOnlySpan<float> outputs, Span<double> destination)
    {
        var modelValid = hasFeatures && series.Initialized && series.Steps > _settings.WarmupPoints;
        // The fallback decision reads only the accuracy so far, so it is taken first and only the serving set is decoded in full.
        var status = !modelValid ? SeriesStatus.WarmingUp : UpdateFallback(series) ? SeriesStatus.Fallback : SeriesStatus.Ok;
        QuantileDecoder.Decode(series, _settings, _baselineOffsets, outputs, modelValid, status == SeriesStatus.Ok, _baselineQuantiles, _modelQuantiles);
        if (series.Initialized)
        {
            series.Accuracy.Remember(series.Steps - 1, _modelQuantiles, modelValid, _baselineQuantiles, _settings.QuantileLevels.Length, _settings.MedianIndex);
        }

        (status == SeriesStatus.Ok ? _modelQuantiles : _baselineQuantiles).CopyTo(destination);
        return status;
    }

    /// <summary>
    /// Enters fallback when the model's rolling one-step scaled error exceeds the baseline's by 5 %, leaves it when the model is
    /// better again. One step ahead, not pooled with the K-step errors: measured on M4 Hourly and 22 NAB files (README, "What is
    /// served at every point"), the pooled rule served the baseline a fifth of the time on M4 and was worse there at every horizon.
    /// </summary>
    private bool UpdateFallback(SeriesState series)
    {
        var accuracy = series.Accuracy;
        if (!_settings.Fallback || accuracy.Samples < _settings.WarmupPoints || double.IsNaN(accuracy.ModelOneStepError))
        {
            return series.InFallback = false;
        }

        series.InFallback = series.InFallback
            ? accuracy.ModelOneStepError >= accuracy.BaselineOneStepError
            : accuracy.ModelOneStepError > accuracy.BaselineOneStepError * 1.05;
        return series.InFallback;
    }

    private void ScoreAnomaly(SeriesState series, double value, int slot)
    {
        _anomalyFlags[slot] = 0;
        _anomalyScores[slot] = 0;
        _likelihoods[slot] = 0;
        _directions[slot] = 0;
        if (!series.HasPreviousBand || double.IsNaN(value))
        {
            return;
        }

        var surprise = Anomaly.AnomalyLikelihood.Surprise(value, series.PreviousLower, series.PreviousMedian, series.PreviousUpper, _lowerScore, _upperScore);
        _likelihoods[slot] = Anomaly.AnomalyLikelihood.Update(ref series.Anomaly, surprise, value, out _directions[slot]);
        var halfWidth = value >= series.PreviousMedian ? series.PreviousUpper - series.PreviousMedian : series.PreviousMedian - series.PreviousLower;
        _anomalyScores[slot] = halfWidth > 0 ? (value - series.PreviousMedian) / halfWidth : 0;
    }

    private void RememberBand(SeriesState series, int slot)
    {
        series.HasPreviousBand = series.Initialized;
        var first = _quantiles.AsSpan(slot * _outputSize, _settings.QuantileLevels.Length);
        series.PreviousLower = first[0];
        series.PreviousMedian = first[_settings.MedianIndex];
        series.PreviousUpper = first[^1];
    }

    private int CheckedSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, ResultCount);
        return slot;
    }

    private static ForecastModel Checked(ForecastModel model, ModelShape expected)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Shape != expected)
        {
            throw new ArgumentException($"The model's shape {model.Shape} does not fit the settings' shape {expected}.", nameof(model));
        }

        return model;
    }
}
