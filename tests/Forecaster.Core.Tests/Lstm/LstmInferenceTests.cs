using Forecaster.Core.Lstm;
using Forecaster.Testing;

namespace Forecaster.Core.Tests.Lstm;

public class LstmInferenceTests
{
    private static readonly ModelShape Shape = new(InputSize: 7, HiddenSize: 5, Horizons: 4, Quantiles: 3);

    [Fact]
    public void Steps_carry_state_and_match_the_reference()
    {
        const int batch = 3, steps = 4;
        var model = ModelInitializer.Create(Shape, [0.1f, 0.5f, 0.9f], seed: 1);
        var workspace = new InferenceWorkspace(Shape, maxBatch: 8);
        int h = Shape.HiddenSize, outputs = Shape.OutputSize;
        float[] hidden = new float[batch * h], cell = new float[batch * h], y = new float[batch * outputs];
        float[] refHidden = new float[batch * h], refCell = new float[batch * h], refY = new float[outputs];
        float[] gates = new float[Shape.GateSize], nextC = new float[h], nextH = new float[h];
        for (var s = 0; s < steps; s++)
        {
            var inputs = SeededData.Floats(60 + s, batch * Shape.InputSize, 2f);
            LstmInference.Step(model, workspace, batch, inputs, hidden, cell, y);
            for (var b = 0; b < batch; b++)
            {
                ReferenceLstmCell.Forward<float>(
                    Shape, model.Parameters, inputs.AsSpan(b * 7, 7), refHidden.AsSpan(b * h, h), refCell.AsSpan(b * h, h), gates, nextC, nextH);
                nextC.CopyTo(refCell, b * h);
                nextH.CopyTo(refHidden, b * h);
                ReferenceQuantileHead.Forward<float>(Shape, model.Parameters, nextH, refY);
                SeededData.AssertClose(refY, y.AsSpan(b * outputs, outputs), 1e-5, 1);
            }

            SeededData.AssertClose(refHidden, hidden, 1e-5, 1);
            SeededData.AssertClose(refCell, cell, 1e-5, 1);
        }
    }

    [Fact]
    public void Batches_larger_than_a_block_match_the_reference_row_by_row()
    {
        const int batch = InferenceWorkspace.MaxBlockRows + 13;
        var model = ModelInitializer.Create(Shape, [0.1f, 0.5f, 0.9f], seed: 11);
        var workspace = new InferenceWorkspace(Shape, maxBatch: batch);
        int h = Shape.HiddenSize, outputs = Shape.OutputSize;
        var inputs = SeededData.Floats(75, batch * Shape.InputSize, 2f);
        var hidden = SeededData.Floats(76, batch * h);
        var cell = SeededData.Floats(77, batch * h);
        var y = new float[batch * outputs];
        var before = (Hidden: (float[])hidden.Clone(), Cell: (float[])cell.Clone());
        LstmInference.Step(model, workspace, batch, inputs, hidden, cell, y);
        float[] gates = new float[Shape.GateSize], nextC = new float[h], nextH = new float[h], refY = new float[outputs];
        for (var b = 0; b < batch; b++)
        {
            ReferenceLstmCell.Forward<float>(
                Shape, model.Parameters, inputs.AsSpan(b * 7, 7), before.Hidden.AsSpan(b * h, h), before.Cell.AsSpan(b * h, h), gates, nextC, nextH);
            ReferenceQuantileHead.Forward<float>(Shape, model.Parameters, nextH, refY);
            SeededData.AssertClose(nextH, hidden.AsSpan(b * h, h), 1e-5, 1);
            SeededData.AssertClose(nextC, cell.AsSpan(b * h, h), 1e-5, 1);
            SeededData.AssertClose(refY, y.AsSpan(b * outputs, outputs), 1e-5, 1);
        }
    }

    [Fact]
    public void StepState_gives_the_same_state_as_Step()
    {
        var model = ModelInitializer.Create(Shape, [0.1f, 0.5f, 0.9f], seed: 2);
        var workspace = new InferenceWorkspace(Shape, maxBatch: 2);
        var inputs = SeededData.Floats(70, 2 * Shape.InputSize);
        float[] h1 = SeededData.Floats(71, 10), c1 = SeededData.Floats(72, 10), y = new float[2 * Shape.OutputSize];
        float[] h2 = (float[])h1.Clone(), c2 = (float[])c1.Clone();
        LstmInference.Step(model, workspace, 2, inputs, h1, c1, y);
        LstmInference.StepState(model, workspace, 2, inputs, h2, c2);
        Assert.Equal(h1, h2);
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void A_new_model_instance_is_repacked()
    {
        var first = ModelInitializer.Create(Shape, [0.5f, 0.6f, 0.7f], seed: 3);
        var second = ModelInitializer.Create(Shape, [0.5f, 0.6f, 0.7f], seed: 4);
        var workspace = new InferenceWorkspace(Shape, maxBatch: 1);
        var inputs = SeededData.Floats(73, Shape.InputSize);
        float[] y1 = new float[Shape.OutputSize], y2 = new float[Shape.OutputSize], fresh = new float[Shape.OutputSize];
        LstmInference.Step(first, workspace, 1, inputs, new float[5], new float[5], y1);
        LstmInference.Step(second, workspace, 1, inputs, new float[5], new float[5], y2);
        LstmInference.Step(second, new InferenceWorkspace(Shape, 1), 1, inputs, new float[5], new float[5], fresh);
        Assert.NotEqual(y1, y2);
        Assert.Equal(fresh, y2);
    }

    [Fact]
    public void Shapes_are_checked_up_front()
    {
        var model = ModelInitializer.Create(Shape, [0.1f, 0.5f, 0.9f], seed: 5);
        var workspace = new InferenceWorkspace(Shape, maxBatch: 2);
        var inputs = new float[2 * 7];
        var state = new float[2 * 5];
        var outputs = new float[2 * 12];

        var tooShort = Assert.Throws<ArgumentException>(() => LstmInference.Step(model, workspace, 2, inputs, state, new float[10], new float[23]));
        Assert.Contains("Destination too short", tooShort.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LstmInference.Step(model, workspace, 2, inputs, new float[9], new float[10], outputs));
        Assert.Throws<ArgumentException>(() => LstmInference.StepState(model, workspace, 2, inputs, state, new float[9]));
        Assert.Throws<ArgumentException>(() => LstmInference.Step(model, workspace, 2, new float[13], state, new float[10], outputs));
        Assert.Throws<ArgumentException>(() => LstmInference.Step(model, workspace, 3, new float[21], new float[15], new float[15], new float[36]));
        var other = new InferenceWorkspace(Shape with { HiddenSize = 6 }, 2);
        Assert.Throws<ArgumentException>(() => LstmInference.Step(model, other, 1, inputs, new float[12], new float[12], outputs));
    }

    [Fact]
    public void A_warmed_up_step_allocates_nothing()
    {
        var shape = new ModelShape(InputSize: 8, HiddenSize: 64, Horizons: 12, Quantiles: 3);
        const int batch = 33;
        var model = ModelInitializer.Create(shape, [0.1f, 0.5f, 0.9f], seed: 6);
        var workspace = new InferenceWorkspace(shape, batch);
        var inputs = SeededData.Floats(74, batch * 8);
        float[] hidden = new float[batch * 64], cell = new float[batch * 64], outputs = new float[batch * shape.OutputSize];
        LstmInference.Step(model, workspace, batch, inputs, hidden, cell, outputs);
        LstmInference.StepState(model, workspace, batch, inputs, hidden, cell);

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            LstmInference.Step(model, workspace, batch, inputs, hidden, cell, outputs);
            LstmInference.StepState(model, workspace, 1, inputs, hidden, cell);
        }));
    }
}
