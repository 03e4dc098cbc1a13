namespace Forecaster.Worker.Nab;

/// <summary>A label window of one file as row indices, both ends included.</summary>
internal readonly record struct NabWindow(int First, int Last)
{
    public int Width => Last - First + 1;
}
