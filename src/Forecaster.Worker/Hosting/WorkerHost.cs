using Forecaster.Worker.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// Builds the worker's web host: configuration from config/appsettings.json (copied beside the
/// executable), appsettings.{Environment}.json, environment variables (<c>Kafka__BootstrapServers</c>)
/// and the command line (<c>--Kafka:BootstrapServers=host:9092</c>); JSON console logs; /metrics,
/// /healthz and /readyz on <c>Http:Port</c>.
/// </summary>
internal static class WorkerHost
{
    /// <param name="args">Configuration arguments from the command line; they win over everything.</param>
    /// <param name="overrides">Settings a command imposes (the demo's broker), below the command line.</param>
    /// <param name="logging">Adjusts logging (the demo keeps the console for its table).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
            builder.Configuration.AddCommandLine(args);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.IncludeScopes = true;
        });
        logging?.Invoke(builder.Logging);
        builder.Services.AddForecaster(builder.Configuration);

        var app = builder.Build();
        app.MapMetrics("/metrics");
        app.MapGet("/healthz", (WorkerHealth health, IOptions<HttpOptions> http) =>
            health.IsLive(TimeSpan.FromSeconds(http.Value.HealthStallSeconds)) ? Results.Ok("live") : Results.StatusCode(503));
        app.MapGet("/readyz", (WorkerHealth health) =>
            health.IsReady ? Results.Ok("ready") : Results.StatusCode(503));
        return app;
    }
}
