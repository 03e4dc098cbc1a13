using Forecaster.Core.Lstm;
using Forecaster.Core.Series;
using Forecaster.Core.Training;

namespace Forecaster.Core.Forecasting;

/// <summary>
/// A re-warm (see <see cref="StateRewarm"/>) that can stop between any two LSTM steps and carry on later: the
/// batches, their order and every step are those of the one-go run, so the states come out the same to the
/// bit however the work is shared out. The series must not be stepped, and their histories not change, until
/// <see cref="Done"/>.
/// </summary>
public sealed class RewarmRun
{
    private readonly ForecastModel _model;
    private readonly ForecastSettings _settings;
    private readonly IReadOnlyList<SeriesState> _series;
    private readonly int _steps;
    private readonly int _maxBatch;
    private readonly InferenceWorkspace _workspace;
    private readonly float[] _hidden;
    private readonly float[] _cell;
    private readonly float[] _inputs;
    private (SeriesState State, TrainingSeries Features)[]? _chunk;
    private int _first;
    private int _step;
    private int _longest;

    /// <exception cref="InvalidOperationException">A series is pending in a forecaster (thrown by <see cref="Advance"/>).</exception>
    public RewarmRun(ForecastModel model, ForecastSettings settings, IReadOnlyList<SeriesState> series, int steps, int maxBatch = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        (_model, _settings, _series, _steps, _maxBatch) = (model, settings, series, steps, maxBatch);
        var shape = model.Shape;
        _workspace = new InferenceWorkspace(shape, maxBatch);
        _hidden = new float[maxBatch * shape.HiddenSize];
        _cell = new float[maxBatch * shape.HiddenSize];
        _inputs = new float[maxBatch * shape.InputSize];
    }

    /// <summary>Every series is re-warmed.</summary>
    public bool Done => _chunk is null && _first >= _series.Count;

    /// <summary>Series whose re-warm is finished.</summary>
    public int SeriesDone => _first;

    /// <summary>Series-steps done so far (one series through one LSTM step counts one): the measure of the work.</summary>
    public long Work { get; private set; }

    /// <summary>Runs at most <paramref name="maxSteps"/> batched LSTM steps (a batch's features are built with its first); true once <see cref="Done"/>.</summary>
    public bool Advance(int maxSteps)
    {
        var shape = _model.Shape;
        for (var taken = 0; taken < maxSteps && !Done; taken++)
        {
            if (_chunk is null)
            {
                _chunk = Features(_first, Math.Min(_maxBatch, _series.Count - _first));
                Array.Sort(_chunk, (a, b) => b.Features.Rows.CompareTo(a.Features.Rows));
                _hidden.AsSpan().Clear();
                _cell.AsSpan().Clear();
                _longest = _chunk.Length > 0 ? _chunk[0].Features.Rows : 0;
                _step = 0;
            }

            if (_step < _longest)
            {
                var active = 0;
                while (active < _chunk.Length && _chunk[active].Features.Rows >= _longest - _step)
                {
                    var row = _step - (_longest - _chunk[active].Features.Rows);
                    _chunk[active].Features.Inputs.AsSpan(row * shape.InputSize, shape.InputSize).CopyTo(_inputs.AsSpan(active * shape.InputSize));
                    active++;
                }

                LstmInference.StepState(_model, _workspace, active, _inputs.AsSpan(0, active * shape.InputSize), _hidden.AsSpan(0, active * shape.HiddenSize), _cell.AsSpan(0, active * shape.HiddenSize));
                Work += active;
                _step++;
            }

            if (_step >= _longest)
            {
                for (var i = 0; i < _chunk.Length; i++)
                {
                    _hidden.AsSpan(i * shape.HiddenSize, shape.HiddenSize).CopyTo(_chunk[i].State.Hidden);
                    _cell.AsSpan(i * shape.HiddenSize, shape.HiddenSize).CopyTo(_chunk[i].State.Cell);
                }

                _first += _chunk.Length;
                _chunk = null;
            }
        }

        return Done;
    }

    private (SeriesState State, TrainingSeries Features)[] Features(int first, int count)
    {
        var result = new (SeriesState, TrainingSeries)[count];
        var scratch = new float[_settings.HistoryCapacity];
        for (var i = 0; i < count; i++)
        {
            var state = _series[first + i];
            if (state.PendingOwner is not null)
            {
                throw new InvalidOperationException("Re-warm series between steps, not while they are pending.");
            }

            var held = state.History.CopyTo(scratch);
            var take = Math.Min(held, _settings.Season + _steps);
            var axis = HistoryAxis.Of(state);
            result[i] = (state, TrainingSeries.Build(scratch.AsSpan(held - take, take), [], _settings, axis.FirstSlot + held - take, axis.StepMs, axis.Zone));
        }

        return result;
    }
}
