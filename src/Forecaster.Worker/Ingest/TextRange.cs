namespace Forecaster.Worker.Ingest;

/// <summary>A slice of <see cref="DecodedRecord"/>'s character scratch.</summary>
internal readonly record struct TextRange(int Start, int Length);
