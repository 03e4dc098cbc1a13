using Forecaster.Core.Lstm;
using Forecaster.Core.Series;
using Forecaster.Core.Training;

namespace Forecaster.Core.Forecasting;

/// <summary>
/// Re-warms the LSTM states (h, c) of series under a new model: each series' last <c>steps</c> values are
/// replayed from zero state, batched, with features from a scratch smoothing replay of the recent history.
/// The series' own smoothing state, history and accuracy are untouched. Runs on the thread that owns the
/// series, right after a model swap.
/// </summary>
public static class StateRewarm
{
    /// <exception cref="InvalidOperationException">A series is pending in a forecaster.</exception>
    public static void Run(ForecastModel model, ForecastSettings settings, IReadOnlyList<SeriesState> series, int steps, int maxBatch = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var shape = model.Shape;
        var workspace = new InferenceWorkspace(shape, maxBatch);
        var hidden = new float[maxBatch * shape.HiddenSize];
        var cell = new float[maxBatch * shape.HiddenSize];
        var inputs = new float[maxBatch * shape.InputSize];
        for (var first = 0; first < series.Count; first += maxBatch)
        {
            var chunk = Features(series, first, Math.Min(maxBatch, series.Count - first), settings, steps);
            Array.Sort(chunk, (a, b) => b.Features.Rows.CompareTo(a.Features.Rows));
            hidden.AsSpan().Clear();
            cell.AsSpan().Clear();
            var longest = chunk.Length > 0 ? chunk[0].Features.Rows : 0;
            for (var s = 0; s < longest; s++)
            {
                var active = 0;
                while (active < chunk.Length && chunk[active].Features.Rows >= longest - s)
                {
                    var row = s - (longest - chunk[active].Features.Rows);
                    chunk[active].Features.Inputs.AsSpan(row * shape.InputSize, shape.InputSize).CopyTo(inputs.AsSpan(active * shape.InputSize));
                    active++;
                }

                LstmInference.StepState(model, workspace, active, inputs.AsSpan(0, active * shape.InputSize), hidden.AsSpan(0, active * shape.HiddenSize), cell.AsSpan(0, active * shape.HiddenSize));
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                hidden.AsSpan(i * shape.HiddenSize, shape.HiddenSize).CopyTo(chunk[i].State.Hidden);
                cell.AsSpan(i * shape.HiddenSize, shape.HiddenSize).CopyTo(chunk[i].State.Cell);
            }
        }
    }

    private static (SeriesState State, TrainingSeries Features)[] Features(IReadOnlyList<SeriesState> series, int first, int count, ForecastSettings settings, int steps)
    {
        var result = new (SeriesState, TrainingSeries)[count];
        var scratch = new float[settings.HistoryCapacity];
        for (var i = 0; i < count; i++)
        {
            var state = series[first + i];
            if (state.PendingOwner is not null)
            {
                throw new InvalidOperationException("Re-warm series between steps, not while they are pending.");
            }

            var held = state.History.CopyTo(scratch);
            var take = Math.Min(held, settings.Season + steps);
            var axis = HistoryAxis.Of(state);
            result[i] = (state, TrainingSeries.Build(scratch.AsSpan(held - take, take), [], settings, axis.FirstSlot + held - take, axis.StepMs));
        }

        return result;
    }
}
