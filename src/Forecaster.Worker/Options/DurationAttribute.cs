namespace Forecaster.Worker.Options;

/// <summary>Marks an integer setting as a duration: it also accepts time units (<see cref="DurationSetting"/>), and a bare number keeps its old <see cref="Unit"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DurationAttribute(DurationUnit unit) : Attribute
{
    public DurationUnit Unit { get; } = unit;
}
