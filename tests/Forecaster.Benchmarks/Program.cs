using BenchmarkDotNet.Running;
using Forecaster.Benchmarks;

// Run all: dotnet run -c Release --project tests/Forecaster.Benchmarks -- --filter '*'
// Best-of-many fraction of peak on a noisy machine, every kernel path this CPU supports side by side:
// dotnet run -c Release --project tests/Forecaster.Benchmarks -- interleaved
if (args is ["interleaved"])
{
    InterleavedPeakRatio.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(LstmStepBenchmarks).Assembly).Run(args);
