namespace Forecaster.Worker.Nab;

/// <summary>One of NAB's application profiles: the weights of its cost matrix (NAB <c>config/profiles.json</c>).</summary>
internal sealed record NabProfile(string Name, double TpWeight, double FpWeight, double FnWeight)
{
    public static readonly NabProfile Standard = new("standard", 1.0, 0.11, 1.0);
    public static readonly NabProfile RewardLowFp = new("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static readonly NabProfile RewardLowFn = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFp, RewardLowFn];
}
