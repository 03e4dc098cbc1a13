using BenchmarkDotNet.Running;
using Forecaster.Benchmarks;

// Run all: dotnet run -c Release --project tests/Forecaster.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(LstmStepBenchmarks).Assembly).Run(args);
