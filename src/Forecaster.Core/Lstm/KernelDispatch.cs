using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// The one place the kernel width is chosen: <see cref="Selected"/> is fixed when the type is first used, from
/// what the CPU and the runtime offer (AVX-512 only where <see cref="Vector512.IsHardwareAccelerated"/>, so
/// <c>DOTNET_EnableAVX512=0</c> (.NET 10 ignores the older <c>DOTNET_EnableAVX512F</c>) or <c>DOTNET_PreferredVectorBitWidth=256</c> select AVX2). Every fast kernel
/// switches on a <see cref="KernelPath"/>; code that owns buffers (<see cref="PackedWeights"/>, the inference
/// workspace, the trainer) carries the path it was built for, <see cref="Selected"/> unless a test or a
/// benchmark asks for another supported one.
/// </summary>
public static class KernelDispatch
{
    /// <summary>The widest path this process supports; what every kernel uses unless told otherwise.</summary>
    public static KernelPath Selected { get; } = Widest();

    /// <summary>Whether this process can run <paramref name="path"/> (Portable always; wider paths include the narrower ones).</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Portable => true,
        KernelPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        KernelPath.Avx512 => Avx2.IsSupported && Fma.IsSupported && Avx512F.IsSupported && Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>One line for a start-up log: the selected path and what the runtime reported.</summary>
    public static string Describe() =>
        $"LSTM kernels: {Selected} (Avx2+Fma {IsSupported(KernelPath.Avx2)}, Avx512F {Avx512F.IsSupported}, Vector512 accelerated {Vector512.IsHardwareAccelerated})";

    /// <summary>Throws unless this process can run <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The CPU or the runtime settings do not allow the path.</exception>
    internal static KernelPath Require(KernelPath path) => IsSupported(path)
        ? path
        : throw new ArgumentException($"Kernel path {path} is not supported by this CPU or runtime ({Describe()}).", nameof(path));

    private static KernelPath Widest() =>
        IsSupported(KernelPath.Avx512) ? KernelPath.Avx512 : IsSupported(KernelPath.Avx2) ? KernelPath.Avx2 : KernelPath.Portable;
}
