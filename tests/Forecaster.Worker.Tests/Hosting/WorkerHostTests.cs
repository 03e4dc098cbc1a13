using Forecaster.Worker.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Forecaster.Worker.Tests.Hosting;

[Collection(MockClusterTests.Name)]
public class WorkerHostTests(MockClusterFixture cluster)
{
    [Fact]
    public async Task Host_serves_metrics_health_and_readiness_once_partitions_are_assigned_and_stops_cleanly()
    {
        TopicIo.Produce(cluster.BootstrapServers, "host.in", [(TopicIo.SeriesId("a"), TopicIo.Point("a", TopicIo.T0, 1))]);
        var app = WorkerHost.Build([
            "--Kafka:BootstrapServers=" + cluster.BootstrapServers, "--Kafka:InputTopic=host.in", "--Kafka:ForecastTopic=host.out",
            "--Kafka:GroupId=host-group", "--Http:Port=0", "--Series:StepSeconds=60", "--Logging:LogLevel:Default=Warning",
        ]);
        await using (app)
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var loop = app.Services.GetRequiredService<ConsumeLoop>();

            TopicIo.WaitFor(() => loop.ConsumedRecords == 1, "the hosted loop to consume the point");
            // Readiness also needs the broker probe's answer, which runs on its own schedule, not the loop's (under load a
            // probe can time out between a check of BrokerUp and the request): /readyz itself is what is waited for.
            TopicIo.WaitFor(() => http.GetAsync(new Uri("/readyz", UriKind.Relative)).GetAwaiter().GetResult().StatusCode == System.Net.HttpStatusCode.OK, "/readyz to answer 200");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("forecaster_records_consumed_total", metrics, StringComparison.Ordinal);
            Assert.Contains("forecaster_records_invalid_total{reason=\"malformed_json\"}", metrics, StringComparison.Ordinal);
            Assert.DoesNotContain("s=\\\"a\\\"", metrics, StringComparison.Ordinal);

            await app.StopAsync();
            Assert.Equal(0, app.Services.GetRequiredService<WorkerHealth>().AssignedPartitions);
        }
    }

    [Theory]
    [InlineData("35s", 35)]
    [InlineData("20", 20)]
    public async Task The_shutdown_timeout_of_the_real_host_takes_a_duration(string setting, int seconds)
    {
        var app = WorkerHost.Build(["--Kafka:BootstrapServers=" + cluster.BootstrapServers, "--shutdownTimeoutSeconds=" + setting]);
        await using (app)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value.ShutdownTimeout);
        }
    }
}
