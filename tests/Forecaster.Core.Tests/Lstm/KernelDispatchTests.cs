using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Forecaster.Core.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// The selected path is the widest the runtime offers, and asking for a path the CPU or runtime lacks is a clear
/// error (on an AVX-512 machine that case is exercised by the child run with AVX-512 off).
/// </summary>
public class KernelDispatchTests
{
    [Fact]
    public void The_selected_path_is_the_widest_supported_one()
    {
        var expected = Avx512F.IsSupported && Vector512.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported
            ? KernelPath.Avx512
            : Avx2.IsSupported && Fma.IsSupported ? KernelPath.Avx2 : KernelPath.Portable;
        Assert.Equal(expected, KernelDispatch.Selected);
        Assert.True(KernelDispatch.IsSupported(KernelPath.Portable));
        Assert.Contains(expected.ToString(), KernelDispatch.Describe(), StringComparison.Ordinal);
        Assert.Equal(expected, new PackedWeights(new ModelShape(2, 8, 1, 1)).Path);
    }

    [Fact]
    public void Unsupported_paths_are_refused_by_every_owner_of_a_path()
    {
        var shape = new ModelShape(2, 8, 1, 1);
        var settings = new TrainerSettings(0.01f, 1f, Window: 2, Batch: 2);
        var refused = 0;
        foreach (var path in Enum.GetValues<KernelPath>().Where(p => !KernelDispatch.IsSupported(p)))
        {
            Assert.Contains("not supported", Assert.Throws<ArgumentException>(() => new PackedWeights(shape, path)).Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => new InferenceWorkspace(shape, 4, path));
            Assert.Throws<ArgumentException>(() => new TbpttTrainer(shape, settings, path));
            Assert.Throws<ArgumentException>(() => Gemm.Run(1, 1, 1, [1f], 1, 1, [1f], 1, [0f], 1, new float[1], 1, path));
            refused++;
        }

        Assert.Equal(3 - KernelPaths.Supported().Length, refused);
    }
}
