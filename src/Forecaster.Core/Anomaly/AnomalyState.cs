using System.Runtime.CompilerServices;

namespace Forecaster.Core.Anomaly;

/// <summary>
/// The anomaly state of one series, kept inline in its <see cref="Series.SeriesState"/> (48 bytes, no
/// object of its own): the last <see cref="Window"/> signed surprises, a running mean and variance of their
/// absolute mean (the distribution the likelihood is measured against), the number of those means seen,
/// and whether an event has fired and waits for the likelihood to fall back (hysteresis).
/// </summary>
public struct AnomalyState
{
    /// <summary>Surprises averaged into one window score.</summary>
    public const int Window = 8;

    internal SurpriseRing Recent;

    /// <summary>Running mean of the window score.</summary>
    public float Mean { readonly get; set; }

    /// <summary>Running variance of the window score.</summary>
    public float Variance { readonly get; set; }

    /// <summary>Window scores folded into <see cref="Mean"/> and <see cref="Variance"/> (saturates).</summary>
    public int Samples { readonly get; set; }

    /// <summary>Surprises held in <see cref="Recent"/> (at most <see cref="Window"/>).</summary>
    public byte Filled { readonly get; set; }

    /// <summary>Index in <see cref="Recent"/> the next surprise goes to.</summary>
    public byte Next { readonly get; set; }

    /// <summary>An event fired and the likelihood has not yet fallen below the re-arm level.</summary>
    public bool Fired { readonly get; set; }

    /// <summary>The surprise <paramref name="age"/> steps back (0 = newest).</summary>
    public readonly float Surprise(int age) => Recent[(Next - 1 - age + (2 * Window)) % Window];

    internal void SetSurprise(int index, float value) => Recent[index] = value;

    internal readonly float At(int index) => Recent[index];
}

/// <summary>Fixed-size inline storage for the recent surprises of <see cref="AnomalyState"/>.</summary>
[InlineArray(AnomalyState.Window)]
internal struct SurpriseRing
{
    private float _first;
}
