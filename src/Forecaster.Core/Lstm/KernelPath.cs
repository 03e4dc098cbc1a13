namespace Forecaster.Core.Lstm;

/// <summary>Which vector kernels the LSTM math runs on (<see cref="KernelDispatch"/> picks one at start-up).</summary>
public enum KernelPath
{
    /// <summary>Plain loops, <see cref="Gemm"/>'s scalar product and TensorPrimitives: any CPU.</summary>
    Portable,

    /// <summary>256-bit AVX2/FMA kernels (8 lanes).</summary>
    Avx2,

    /// <summary>512-bit AVX-512F kernels (16 lanes); the AVX2 kernels cover tails narrower than 16 or 32 columns.</summary>
    Avx512,
}
