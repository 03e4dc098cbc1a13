using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Profiles;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecaster.Worker;

/// <summary>Every registration of the worker, in one place.</summary>
internal static class ForecasterServiceCollectionExtensions
{
    public static IServiceCollection AddForecaster(this IServiceCollection services, IConfiguration configuration)
    {
        AddValidated<KafkaOptions, KafkaOptionsValidator>(services, configuration, KafkaOptions.Section);
        AddValidated<HttpOptions, HttpOptionsValidator>(services, configuration, HttpOptions.Section);
        AddValidated<ForecastOptions, ForecastOptionsValidator>(services, configuration, ForecastOptions.Section);
        AddValidated<SeriesOptions, SeriesOptionsValidator>(services, configuration, SeriesOptions.Section);
        services.AddOptions<ForecastOptions>().PostConfigure<IOptions<SeriesOptions>>((forecast, series) => forecast.StepMs = StepMs(series));
        AddValidated<IngestOptions, IngestOptionsValidator>(services, configuration, IngestOptions.Section);
        AddValidated<TrainingOptions, TrainingOptionsValidator>(services, configuration, TrainingOptions.Section);
        services.AddSingleton<IValidateOptions<TrainingOptions>, TrainingHistoryValidator>();
        AddValidated<MetricsOptions, MetricsOptionsValidator>(services, configuration, MetricsOptions.Section);
        AddValidated<StateOptions, StateOptionsValidator>(services, configuration, StateOptions.Section);
        AddValidated<AnomalyOptions, AnomalyOptionsValidator>(services, configuration, AnomalyOptions.Section);
        AddValidated<ProfilesOptions, ProfilesOptionsValidator>(services, configuration, ProfilesOptions.Section);
        var shutdown = new ShutdownTimeout(configuration);
        services.AddSingleton<IConfigureOptions<HostOptions>>(shutdown);
        services.AddSingleton<IValidateOptions<HostOptions>>(shutdown);
        services.AddOptions<HostOptions>().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<HttpOptions>>((kestrel, http) => kestrel.ListenAnyIP(http.Value.Port));

        // promtool rejects prometheus-net's own debug gauge (named *_total), and the runtime adapters add
        // hundreds of series nobody asked for; process metrics stay.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressDebugMetrics = true, SuppressEventCounters = true, SuppressMeters = true });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new ForecasterMetrics(Metrics.DefaultRegistry)
        {
            Forecasts = new ForecastGauges(Metrics.DefaultRegistry, provider.GetRequiredService<IOptions<MetricsOptions>>().Value, provider.GetRequiredService<TimeProvider>()),
        });
        services.AddSingleton<WorkerHealth>();
        services.AddSingleton<ConsumeLoop>();
        services.AddHostedService<ForecastWorker>();
        return services;
    }

    /// <summary>The fixed step seasons and horizons in time are counted in; 0 when it is learned, or the Series section is invalid (it reports that itself).</summary>
    private static long StepMs(IOptions<SeriesOptions> series)
    {
        try
        {
            return series.Value.StepSeconds * 1000L;
        }
        catch (OptionsValidationException)
        {
            return 0;
        }
    }

    private static void AddValidated<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var settings = configuration.GetSection(section);
        services.AddOptions<TOptions>().Configure(options => DurationBinding.Bind(settings, options)).ValidateOnStart();
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(settings));
        services.AddSingleton<IValidateOptions<TOptions>>(new DurationValidator<TOptions>(settings));
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
