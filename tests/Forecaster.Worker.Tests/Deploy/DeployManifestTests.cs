using System.Text.Json;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// Every overlay, rendered by <c>kubectl kustomize</c>, agrees with config/appsettings.json and the
/// worker: ports, probe paths, environment variable names, grace period, security settings.
/// </summary>
public class DeployManifestTests
{
    public static readonly TheoryData<string> Overlays = ["dev", "prod"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_container_serves_on_Http_Port_and_probes_only_paths_the_worker_serves(string overlay)
    {
        var manifests = RenderedOverlay.Render(overlay);
        var container = Container(manifests);
        var port = Assert.Single(container.GetProperty("ports").EnumerateArray());
        Assert.Equal(RepositoryFiles.HttpPort(), port.GetProperty("containerPort").GetInt32());
        Assert.Equal("http", port.GetProperty("name").GetString());

        Assert.Equal(WorkerEndpoints.Health, ProbePath(container, "startupProbe"));
        Assert.Equal(WorkerEndpoints.Health, ProbePath(container, "livenessProbe"));
        Assert.Equal(WorkerEndpoints.Ready, ProbePath(container, "readinessProbe"));
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            Assert.Equal("http", container.GetProperty(probe).GetProperty("httpGet").GetProperty("port").GetString());
        }

        foreach (var service in manifests.All("Service"))
        {
            var servicePort = Assert.Single(service.GetProperty("spec").GetProperty("ports").EnumerateArray());
            Assert.Equal("http", servicePort.GetProperty("targetPort").GetString());
        }

        var endpoint = Assert.Single(manifests.Single("PodMonitor").GetProperty("spec").GetProperty("podMetricsEndpoints").EnumerateArray());
        Assert.Equal("http", endpoint.GetProperty("port").GetString());
        Assert.Equal(WorkerEndpoints.Metrics, endpoint.GetProperty("path").GetString());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_environment_variable_names_a_setting_of_the_worker(string overlay)
    {
        var container = Container(RenderedOverlay.Render(overlay));
        var names = container.GetProperty("env").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Contains("Kafka__BootstrapServers", names);
        foreach (var name in names)
        {
            Assert.True(OptionNames.IsSetting(name, out var why), $"overlays/{overlay}: environment variable {name} sets nothing: {why}");
        }

        var instanceId = container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Kafka__GroupInstanceId");
        Assert.Equal("metadata.name", instanceId.GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
    }

    [Fact]
    public void Every_key_of_the_example_secret_names_a_setting_of_the_worker()
    {
        var secret = RenderedOverlay.ReadFile("deploy", "k8s", "base", "kafka-client-secret.example.yaml")
            .Single(o => RenderedOverlay.Name(o) == "forecaster-kafka-client");
        Assert.Equal("forecaster-kafka-client", secret.GetProperty("metadata").GetProperty("name").GetString());
        var keys = secret.GetProperty("stringData").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("Kafka__Client__sasl.password", keys);
        foreach (var key in keys)
        {
            Assert.True(OptionNames.IsSetting(key, out var why), $"secret key {key} sets nothing: {why}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_grace_period_outlasts_the_host_shutdown_timeout(string overlay)
    {
        var pod = PodSpec(RenderedOverlay.Render(overlay));
        Assert.True(
            pod.GetProperty("terminationGracePeriodSeconds").GetInt32() > RepositoryFiles.ShutdownTimeoutSeconds(),
            $"terminationGracePeriodSeconds must exceed config's shutdownTimeoutSeconds ({RepositoryFiles.ShutdownTimeoutSeconds()})");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Pods_run_as_non_root_on_a_read_only_root_with_an_empty_dir_at_tmp(string overlay)
    {
        var manifests = RenderedOverlay.Render(overlay);
        var pod = PodSpec(manifests);
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.NotEqual(0, pod.GetProperty("securityContext").GetProperty("runAsUser").GetInt32());
        var container = Container(manifests);
        Assert.True(container.GetProperty("securityContext").GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.False(container.GetProperty("securityContext").GetProperty("allowPrivilegeEscalation").GetBoolean());

        var tmp = container.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("mountPath").GetString() == "/tmp");
        var volume = pod.GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == tmp.GetProperty("name").GetString());
        Assert.True(volume.TryGetProperty("emptyDir", out _));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_generated_config_map_is_config_appsettings_and_the_pods_mount_it(string overlay)
    {
        var manifests = RenderedOverlay.Render(overlay);
        var configMap = manifests.Single("ConfigMap");
        Assert.True(
            File.ReadAllText(RepositoryFiles.Path("config", "appsettings.json")) == configMap.GetProperty("data").GetProperty("appsettings.json").GetString(),
            "the ConfigMap differs from config/appsettings.json: run cp config/appsettings.json deploy/k8s/base/appsettings.json");

        var pod = PodSpec(manifests);
        var volume = pod.GetProperty("volumes").EnumerateArray().Single(v => v.TryGetProperty("configMap", out _));
        Assert.Equal(RenderedOverlay.Name(configMap), volume.GetProperty("configMap").GetProperty("name").GetString());
        var mount = Container(manifests).GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("name").GetString() == volume.GetProperty("name").GetString());
        Assert.Equal("/app/appsettings.Production.json", mount.GetProperty("mountPath").GetString());
        Assert.Equal("appsettings.json", mount.GetProperty("subPath").GetString());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void A_disruption_budget_and_a_pod_monitor_select_the_worker_pods(string overlay)
    {
        var manifests = RenderedOverlay.Render(overlay);
        var set = manifests.Single("StatefulSet");
        var podLabels = set.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");
        Assert.Equal(RenderedOverlay.Name(set) + "-headless", set.GetProperty("spec").GetProperty("serviceName").GetString());
        Assert.Equal("None", manifests.All("Service").Single(s => RenderedOverlay.Name(s) == RenderedOverlay.Name(set) + "-headless").GetProperty("spec").GetProperty("clusterIP").GetString());

        var budget = manifests.Single("PodDisruptionBudget");
        Assert.Equal(1, budget.GetProperty("spec").GetProperty("maxUnavailable").GetInt32());
        foreach (var selector in new[] { budget.GetProperty("spec").GetProperty("selector"), manifests.Single("PodMonitor").GetProperty("spec").GetProperty("selector") })
        {
            foreach (var label in selector.GetProperty("matchLabels").EnumerateObject())
            {
                Assert.Equal(label.Value.GetString(), podLabels.GetProperty(label.Name).GetString());
            }
        }

        var resources = Container(manifests).GetProperty("resources");
        Assert.True(Quantity.Bytes(resources.GetProperty("limits").GetProperty("memory").GetString()!)
            >= Quantity.Bytes(resources.GetProperty("requests").GetProperty("memory").GetString()!));
    }

    [Fact]
    public void Prod_scales_with_KEDA_on_the_groups_lag_on_the_input_and_repartition_topics_capped_at_the_partition_count()
    {
        var manifests = RenderedOverlay.Render("prod");
        var set = manifests.Single("StatefulSet");
        var scaled = manifests.Single("ScaledObject").GetProperty("spec");
        Assert.Equal("StatefulSet", scaled.GetProperty("scaleTargetRef").GetProperty("kind").GetString());
        Assert.Equal(RenderedOverlay.Name(set), scaled.GetProperty("scaleTargetRef").GetProperty("name").GetString());

        var kafka = RepositoryFiles.Config().GetProperty("Kafka");
        var triggers = scaled.GetProperty("triggers").EnumerateArray().ToList();
        Assert.False(RepositoryFiles.Config().GetProperty("Ingest").GetProperty("TrustKeys").GetBoolean()); // so the repartition topic carries work too
        Assert.Equal(
            new[] { kafka.GetProperty("InputTopic").GetString(), kafka.GetProperty("RepartitionTopic").GetString() },
            triggers.Select(t => t.GetProperty("metadata").GetProperty("topic").GetString()));
        var bootstrap = Container(manifests).GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Kafka__BootstrapServers");
        foreach (var each in triggers)
        {
            Assert.Equal("kafka", each.GetProperty("type").GetString());
            var metadata = each.GetProperty("metadata");
            Assert.Equal(kafka.GetProperty("GroupId").GetString(), metadata.GetProperty("consumerGroup").GetString());
            Assert.Equal("earliest", metadata.GetProperty("offsetResetPolicy").GetString());
            Assert.True(int.Parse(metadata.GetProperty("lagThreshold").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Equal(bootstrap.GetProperty("value").GetString(), metadata.GetProperty("bootstrapServers").GetString());
            Assert.Contains(manifests.All("TriggerAuthentication"), t => RenderedOverlay.Name(t) == each.GetProperty("authenticationRef").GetProperty("name").GetString());
        }

        var partitions = int.Parse(manifests.Single("ScaledObject").GetProperty("metadata").GetProperty("annotations").GetProperty("forecaster/input-partitions").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(partitions, scaled.GetProperty("maxReplicaCount").GetInt32());
        Assert.Equal(set.GetProperty("spec").GetProperty("replicas").GetInt32(), scaled.GetProperty("minReplicaCount").GetInt32());
        var scaleDown = scaled.GetProperty("advanced").GetProperty("horizontalPodAutoscalerConfig").GetProperty("behavior").GetProperty("scaleDown");
        Assert.True(scaleDown.GetProperty("stabilizationWindowSeconds").GetInt32() >= 300);

    }

    private static JsonElement PodSpec(RenderedOverlay manifests) =>
        manifests.Single("StatefulSet").GetProperty("spec").GetProperty("template").GetProperty("spec");

    private static JsonElement Container(RenderedOverlay manifests) =>
        Assert.Single(PodSpec(manifests).GetProperty("containers").EnumerateArray());

    private static string? ProbePath(JsonElement container, string probe) =>
        container.GetProperty(probe).GetProperty("httpGet").GetProperty("path").GetString();
}
