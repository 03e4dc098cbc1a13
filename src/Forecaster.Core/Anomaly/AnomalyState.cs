using System.Runtime.CompilerServices;

namespace Forecaster.Core.Anomaly;

/// <summary>
/// The anomaly state of one series, kept inline in its <see cref="Series.SeriesState"/> (52 bytes, no
/// object of its own): the last <see cref="Window"/> signed surprises (half precision: they are clipped to
/// ±6), a running mean and variance of the window score (the distribution the likelihood is measured
/// against) and how many scores it has seen, the range of values seen (for the new-extreme check), and
/// whether an event has fired and waits for the likelihood to fall back (hysteresis).
/// </summary>
public struct AnomalyState
{
    /// <summary>Surprises averaged into one window score.</summary>
    public const int Window = 14;

    private SurpriseRing _recent;

    /// <summary>Running mean of the window score.</summary>
    public float Mean { readonly get; set; }

    /// <summary>Running variance of the window score.</summary>
    public float Variance { readonly get; set; }

    /// <summary>Window scores folded into <see cref="Mean"/> and <see cref="Variance"/> (saturates).</summary>
    public int Samples { readonly get; set; }

    /// <summary>Smallest value seen since the window first filled.</summary>
    public float Low { readonly get; set; }

    /// <summary>Largest value seen since the window first filled.</summary>
    public float High { readonly get; set; }

    /// <summary>Surprises held (at most <see cref="Window"/>).</summary>
    public byte Filled { readonly get; set; }

    /// <summary>Index the next surprise goes to.</summary>
    public byte Next { readonly get; set; }

    /// <summary>An event fired and the likelihood has not yet fallen below the re-arm level.</summary>
    public bool Fired { readonly get; set; }

    /// <summary>The surprise at ring index <paramref name="index"/>.</summary>
    public readonly float At(int index) => (float)_recent[index];

    internal void SetSurprise(int index, float value) => _recent[index] = (Half)value;
}

/// <summary>Fixed-size inline storage for the recent surprises of <see cref="AnomalyState"/>.</summary>
[InlineArray(AnomalyState.Window)]
internal struct SurpriseRing
{
    private Half _first;
}
