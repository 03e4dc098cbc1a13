using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// Theory data over the kernel paths this process supports (see <see cref="KernelDispatch"/>), so every path
/// the CPU can run is checked against the reference in the same run; a path the CPU lacks yields no case
/// (the AVX2 path of an AVX-512 machine is also run in a child process, <see cref="NarrowerPathChildTests"/>).
/// </summary>
internal static class KernelPaths
{
    /// <summary>Supported paths among <paramref name="candidates"/> (all three when none are given).</summary>
    public static KernelPath[] Supported(params KernelPath[] candidates) =>
        (candidates.Length == 0 ? [KernelPath.Portable, KernelPath.Avx2, KernelPath.Avx512] : candidates)
            .Where(KernelDispatch.IsSupported).ToArray();

    /// <summary>Every case of <paramref name="cases"/> once per supported vector path (AVX2, AVX-512), path first.</summary>
    public static TheoryData<KernelPath, int, int, int> VectorCross(params (int, int, int)[] cases)
    {
        var data = new TheoryData<KernelPath, int, int, int>();
        foreach (var path in Supported(KernelPath.Avx2, KernelPath.Avx512))
        {
            foreach (var (a, b, c) in cases)
            {
                data.Add(path, a, b, c);
            }
        }

        return data;
    }

    /// <summary>Every case of <paramref name="cases"/> once per supported path, Portable included, path first.</summary>
    public static TheoryData<KernelPath, int, int, int> AllCross(params (int, int, int)[] cases)
    {
        var data = new TheoryData<KernelPath, int, int, int>();
        foreach (var path in Supported())
        {
            foreach (var (a, b, c) in cases)
            {
                data.Add(path, a, b, c);
            }
        }

        return data;
    }

    /// <summary>One case per supported vector path.</summary>
    public static TheoryData<KernelPath> Vector()
    {
        var data = new TheoryData<KernelPath>();
        foreach (var path in Supported(KernelPath.Avx2, KernelPath.Avx512))
        {
            data.Add(path);
        }

        return data;
    }

    /// <summary>One case per supported path, Portable included.</summary>
    public static TheoryData<KernelPath> All()
    {
        var data = new TheoryData<KernelPath>();
        foreach (var path in Supported())
        {
            data.Add(path);
        }

        return data;
    }
}
