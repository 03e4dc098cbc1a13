namespace Forecaster.Core.Lstm;

/// <summary>
/// Online inference for many series at once: one LSTM step carrying each series' (h, c), then the head.
/// Allocation-free once the workspace has packed the model. Large batches run in blocks of
/// <see cref="InferenceWorkspace.BlockRows"/> series so the gate buffers stay in L2 instead of going to memory.
/// </summary>
public static class LstmInference
{
    /// <summary>One step for B series, then the head.</summary>
    /// <param name="model">Weights to use; packed into <paramref name="workspace"/> when the instance changes.</param>
    /// <param name="workspace">Scratch for the same shape, <see cref="InferenceWorkspace.MaxBatch"/> ≥ B.</param>
    /// <param name="batch">B: series in this step (0 does nothing).</param>
    /// <param name="inputs">[B, I] features of each series.</param>
    /// <param name="hidden">[B, H] hidden state, read and overwritten with the new state.</param>
    /// <param name="cell">[B, H] cell state, read and overwritten with the new state.</param>
    /// <param name="outputs">[B, K*Q] head outputs, row r = k*Q + q.</param>
    /// <exception cref="ArgumentException">Shapes differ, B exceeds the workspace, or a span is too short.</exception>
    public static void Step(
        ForecastModel model, InferenceWorkspace workspace, int batch,
        ReadOnlySpan<float> inputs, Span<float> hidden, Span<float> cell, Span<float> outputs)
    {
        CheckState(model, workspace, batch, inputs, hidden, cell);
        var shape = model.Shape;
        if (outputs.Length < batch * shape.OutputSize)
        {
            throw new ArgumentException($"Destination too short: outputs needs {batch * shape.OutputSize} elements ([B={batch}, K*Q={shape.OutputSize}]), got {outputs.Length}.", nameof(outputs));
        }

        if (batch == 0)
        {
            return;
        }

        int hiddenSize = shape.HiddenSize, inputSize = shape.InputSize, outputSize = shape.OutputSize;
        for (var r0 = 0; r0 < batch; r0 += workspace.BlockRows)
        {
            var rows = Math.Min(workspace.BlockRows, batch - r0);
            var h = hidden.Slice(r0 * hiddenSize, rows * hiddenSize);
            var weights = RunCell(model, workspace, rows, inputs.Slice(r0 * inputSize, rows * inputSize), h, cell.Slice(r0 * hiddenSize, rows * hiddenSize));
            QuantileHead.Forward(weights, rows, h, outputs.Slice(r0 * outputSize, rows * outputSize));
        }
    }

    /// <summary>One step for B series without the head (replaying history when outputs are not needed).</summary>
    /// <param name="model">Weights to use.</param>
    /// <param name="workspace">Scratch for the same shape, <see cref="InferenceWorkspace.MaxBatch"/> ≥ B.</param>
    /// <param name="batch">B: series in this step (0 does nothing).</param>
    /// <param name="inputs">[B, I] features of each series.</param>
    /// <param name="hidden">[B, H] hidden state, read and overwritten.</param>
    /// <param name="cell">[B, H] cell state, read and overwritten.</param>
    /// <exception cref="ArgumentException">Shapes differ, B exceeds the workspace, or a span is too short.</exception>
    public static void StepState(
        ForecastModel model, InferenceWorkspace workspace, int batch,
        ReadOnlySpan<float> inputs, Span<float> hidden, Span<float> cell)
    {
        CheckState(model, workspace, batch, inputs, hidden, cell);
        int hiddenSize = model.Shape.HiddenSize, inputSize = model.Shape.InputSize;
        for (var r0 = 0; r0 < batch; r0 += workspace.BlockRows)
        {
            var rows = Math.Min(workspace.BlockRows, batch - r0);
            RunCell(model, workspace, rows, inputs.Slice(r0 * inputSize, rows * inputSize), hidden.Slice(r0 * hiddenSize, rows * hiddenSize), cell.Slice(r0 * hiddenSize, rows * hiddenSize));
        }
    }

    /// <summary>Cell step for a block of at most <see cref="InferenceWorkspace.BlockRows"/> rows.</summary>
    private static PackedWeights RunCell(
        ForecastModel model, InferenceWorkspace workspace, int batch,
        ReadOnlySpan<float> inputs, Span<float> hidden, Span<float> cell)
    {
        var weights = workspace.WeightsFor(model);
        int inputSize = model.Shape.InputSize, hiddenSize = model.Shape.HiddenSize, concat = inputSize + hiddenSize;
        var xh = workspace.Concat.AsSpan(0, batch * concat);
        for (var b = 0; b < batch; b++)
        {
            inputs.Slice(b * inputSize, inputSize).CopyTo(xh.Slice(b * concat, inputSize));
            hidden.Slice(b * hiddenSize, hiddenSize).CopyTo(xh.Slice((b * concat) + inputSize, hiddenSize));
        }

        var n = batch * hiddenSize;
        if (FusedCell.Applies(weights))
        {
            FusedCell.Forward(weights, batch, xh, cell[..n], [], cell[..n], [], hidden[..n]); // gates and tanh(c) not kept
        }
        else
        {
            LstmCell.ForwardPortable(weights, batch, xh, cell[..n], workspace.Gates, cell[..n], workspace.TanhC, hidden[..n]);
        }

        return weights;
    }

    private static void CheckState(
        ForecastModel model, InferenceWorkspace workspace, int batch,
        ReadOnlySpan<float> inputs, Span<float> hidden, Span<float> cell)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workspace);
        var shape = model.Shape;
        if (shape != workspace.Shape)
        {
            throw new ArgumentException($"Workspace shape {workspace.Shape} does not match model shape {shape}.", nameof(workspace));
        }

        if (batch < 0 || batch > workspace.MaxBatch)
        {
            throw new ArgumentException($"Batch {batch} is outside [0, {workspace.MaxBatch}] (the workspace's MaxBatch).", nameof(batch));
        }

        if (inputs.Length < batch * shape.InputSize)
        {
            throw new ArgumentException($"inputs needs {batch * shape.InputSize} elements ([B={batch}, I={shape.InputSize}]), got {inputs.Length}.", nameof(inputs));
        }

        if (hidden.Length < batch * shape.HiddenSize)
        {
            throw new ArgumentException($"Destination too short: hidden needs {batch * shape.HiddenSize} elements ([B={batch}, H={shape.HiddenSize}]), got {hidden.Length}.", nameof(hidden));
        }

        if (cell.Length < batch * shape.HiddenSize)
        {
            throw new ArgumentException($"Destination too short: cell needs {batch * shape.HiddenSize} elements ([B={batch}, H={shape.HiddenSize}]), got {cell.Length}.", nameof(cell));
        }
    }
}
