namespace Forecaster.Worker.Options;

/// <summary>What a new shard's model starts from (<c>Training:StartFrom</c>).</summary>
internal enum InitialModel
{
    /// <summary>The shipped pretrained model of the shard's shape (random weights when none matches).</summary>
    Pretrained,

    /// <summary>Seeded random weights (<c>Forecast:Seed</c>).</summary>
    Scratch,
}
