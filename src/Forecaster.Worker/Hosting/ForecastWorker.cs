using Forecaster.Core.Lstm;
using Forecaster.Worker.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Hosts the <see cref="ConsumeLoop"/> on a dedicated long-running thread. Stopping the host cancels the
/// loop, which then flushes, closes the consumer and flushes the producer; a fatal error in the loop
/// stops the host with exit code 1.
/// </summary>
internal sealed class ForecastWorker : BackgroundService
{
    private readonly ConsumeLoop _loop;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ForecastWorker> _logger;

    public ForecastWorker(ConsumeLoop loop, IHostApplicationLifetime lifetime, ILogger<ForecastWorker> logger)
    {
        _loop = loop;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        WorkerLog.Kernels(_logger, KernelDispatch.Describe()); // once: which SIMD path the LSTM math runs on
        try
        {
            _loop.Run(stoppingToken);
            if (_loop.FatalError is null)
            {
                return;
            }
        }
#pragma warning disable CA1031 // Whatever ends the loop ends the host cleanly: logged once, exit code 1 (never an unobserved exception).
        catch (Exception e)
#pragma warning restore CA1031
        {
            try
            {
                WorkerLog.LoopFailed(_logger, e);
            }
#pragma warning disable CA1031
            catch (Exception)
#pragma warning restore CA1031
            {
                // The logger failing too changes nothing: the host still stops with exit code 1.
            }
        }

        Environment.ExitCode = 1;
        _lifetime.StopApplication();
    }
}
