using System.Reflection;
using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.NodeAgent;
using WasmKube.Operator;
using WasmKube.Operator.Controllers;

namespace WasmKube.Helm.Tests;

/// <summary>helm lint and helm template of helm/wasmkube with the real helm (v4), and what the rendered objects say.</summary>
public sealed class ChartTests
{
    /// <summary>Values that change every switch of the chart away from its default.</summary>
    internal static readonly string[] NonDefaultValues =
    [
        "--set", "operator.replicas=1",
        "--set", "operator.watchNamespace=apps",
        "--set", "operator.image.tag=test",
        "--set", "operator.image.repository=registry.example.com/wasmkube-operator",
        "--set", "nodeAgent.image.tag=test",
        "--set", "nodeAgent.containerdConfig=/etc/containerd/custom.toml",
        "--set", "nodeAgent.restartContainerd=false",
        "--set", "nodeAgent.nodeSelector.wasm=yes",
        "--set", "imagePullSecrets[0].name=regcred",
        "--set", "runtimeClass.create=false",
        "--set", "uninstall.enabled=false",
        "--set", "crds.keep=false",
        "--set", "grafanaDashboard.namespace=monitoring",
        "--set", "metrics.serviceMonitor.labels.release=prometheus",
        "--api-versions", "monitoring.coreos.com/v1/ServiceMonitor",
    ];

    [Fact]
    public async Task Lint_strict_passes_with_default_and_non_default_values()
    {
        using var helm = Tool.Helm();
        var plain = (await helm.RunAsync("lint", "--strict", RepositoryPaths.Chart)).Ok();
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", plain, StringComparison.Ordinal);
        var changed = (await helm.RunAsync(["lint", "--strict", RepositoryPaths.Chart, .. NonDefaultValues.Where(a => a != "--api-versions" && !a.StartsWith("monitoring.", StringComparison.Ordinal))])).Ok();
        Assert.Contains("0 chart(s) failed", changed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_values_render_every_part_of_the_installation()
    {
        var chart = await RenderedChart.RenderAsync();

        Assert.Equal(
        [
            "ClusterRole/wasmkube-node-agent",
            "ClusterRole/wasmkube-operator",
            "ClusterRole/wasmkube-uninstall (hook)",
            "ClusterRoleBinding/wasmkube-node-agent",
            "ClusterRoleBinding/wasmkube-operator",
            "ClusterRoleBinding/wasmkube-uninstall (hook)",
            "ConfigMap/wasmkube-dashboard",
            "CustomResourceDefinition/wasmworkloads.wasmkube.io",
            "DaemonSet/wasmkube-node-agent",
            "DaemonSet/wasmkube-uninstall (hook)",
            "Deployment/wasmkube-operator",
            "Job/wasmkube-uninstall-wait (hook)",
            "PodDisruptionBudget/wasmkube-operator",
            "Role/wasmkube-node-agent-events",
            "Role/wasmkube-operator-leader-election",
            "Role/wasmkube-uninstall-waiter (hook)",
            "RoleBinding/wasmkube-node-agent-events",
            "RoleBinding/wasmkube-operator-leader-election",
            "RoleBinding/wasmkube-uninstall-waiter (hook)",
            "RuntimeClass/wasmkube",
            "Service/wasmkube-node-agent-metrics",
            "Service/wasmkube-operator-metrics",
            "ServiceAccount/wasmkube-node-agent",
            "ServiceAccount/wasmkube-operator",
            "ServiceAccount/wasmkube-uninstall (hook)",
            "ServiceAccount/wasmkube-uninstall-waiter (hook)",
        ], chart.Summary());
        // No ServiceMonitor where the Prometheus Operator's API is not served.
        Assert.Empty(chart.OfKind("ServiceMonitor"));
    }

    [Fact]
    public async Task Non_default_values_change_what_they_name()
    {
        var chart = await RenderedChart.RenderAsync(NonDefaultValues);
        var summary = chart.Summary();

        // One replica: no PodDisruptionBudget; watching one namespace: a Role there instead of a ClusterRole.
        Assert.DoesNotContain(summary, s => s.StartsWith("PodDisruptionBudget/", StringComparison.Ordinal));
        Assert.DoesNotContain("ClusterRole/wasmkube-operator", summary);
        Assert.Equal("apps", RenderedChart.NamespaceOf(chart.Get("Role", "wasmkube-operator")));
        Assert.Equal("apps", RenderedChart.NamespaceOf(chart.Get("RoleBinding", "wasmkube-operator")));
        // No RuntimeClass of the chart's own (the agents make it) and no uninstall hooks.
        Assert.DoesNotContain("RuntimeClass/wasmkube", summary);
        Assert.DoesNotContain(chart.Objects, RenderedChart.IsHook);
        Assert.Null(chart.Get("CustomResourceDefinition", "wasmworkloads.wasmkube.io")["metadata"]!["annotations"]?["helm.sh/resource-policy"]);
        Assert.Equal("monitoring", RenderedChart.NamespaceOf(chart.Get("ConfigMap", "wasmkube-dashboard")));

        var deployment = chart.Get("Deployment", "wasmkube-operator");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal("registry.example.com/wasmkube-operator:test", (string?)pod["containers"]![0]!["image"]);
        Assert.Equal("regcred", (string?)pod["imagePullSecrets"]![0]!["name"]);
        Assert.Null(pod["affinity"]);
        Assert.Contains("--namespace=apps", RenderedChart.Args(deployment, "operator"));

        var agent = chart.Get("DaemonSet", "wasmkube-node-agent");
        Assert.Equal("docker.io/wasmkube/wasmkube-node-agent:test", (string?)agent["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("yes", (string?)agent["spec"]!["template"]!["spec"]!["nodeSelector"]!["wasm"]);
        var options = NodeAgentCommandLine.Parse(RenderedChart.Args(agent, "node-agent"))!;
        Assert.Equal("/etc/containerd/custom.toml", options.ContainerdConfig);
        Assert.False(options.RestartContainerd);

        var monitors = chart.OfKind("ServiceMonitor").ToList();
        Assert.Equal(["wasmkube-node-agent", "wasmkube-operator"], monitors.Select(RenderedChart.Name).Order(StringComparer.Ordinal));
        Assert.All(monitors, m => Assert.Equal("prometheus", (string?)m["metadata"]!["labels"]!["release"]));
        // The agent's series carry the wasm pods' namespace and pod labels; the scrape must not rename them.
        Assert.True((bool?)chart.Get("ServiceMonitor", "wasmkube-node-agent")["spec"]!["endpoints"]![0]!["honorLabels"]);
    }

    [Theory]
    [InlineData("operator.replicas=0", "/operator/replicas")]
    [InlineData("operator.replicaCount=2", "additional properties 'replicaCount' not allowed")]
    [InlineData("nodeAgent.image.pullPolicy=Sometimes", "/nodeAgent/image/pullPolicy")]
    [InlineData("operator.watchNamespace=Not_A_Namespace", "/operator/watchNamespace")]
    [InlineData("operator.leaderElection=false", "operator.replicas above 1 needs operator.leaderElection=true")]
    public async Task Values_that_cannot_work_fail_naming_the_value(string value, string message)
    {
        using var helm = Tool.Helm();
        var result = await helm.RunAsync("template", "wasmkube", RepositoryPaths.Chart, "--set", value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_crd_is_the_one_in_crds_with_the_release_labels()
    {
        var chart = await RenderedChart.RenderAsync();
        var rendered = chart.Get("CustomResourceDefinition", "wasmworkloads.wasmkube.io");
        var source = Yaml.Document(await File.ReadAllTextAsync(RepositoryPaths.Crd));

        var metadata = rendered["metadata"]!.AsObject();
        Assert.Equal("keep", (string?)metadata["annotations"]!["helm.sh/resource-policy"]);
        Assert.Equal("Helm", (string?)metadata["labels"]!["app.kubernetes.io/managed-by"]);
        foreach (var (key, value) in source["metadata"]!["labels"]!.AsObject())
        {
            Assert.Equal((string?)value, (string?)metadata["labels"]![key]);
        }
        // Apart from what the release adds to metadata, the chart's CRD is the file's, field for field.
        var withoutMetadata = (JsonObject o) =>
        {
            var copy = o.DeepClone().AsObject();
            copy.Remove("metadata");
            return copy;
        };
        Assert.True(JsonNode.DeepEquals(withoutMetadata(source), withoutMetadata(rendered)), "the rendered CRD differs from crds/wasmworkloads.wasmkube.io.yaml");
        Assert.Equal((string?)source["metadata"]!["name"], (string?)metadata["name"]);
    }

    [Fact]
    public async Task The_dashboard_config_map_holds_the_agents_dashboard_file()
    {
        var chart = await RenderedChart.RenderAsync();
        var configMap = chart.Get("ConfigMap", "wasmkube-dashboard");

        Assert.Equal("1", (string?)configMap["metadata"]!["labels"]!["grafana_dashboard"]);
        var json = (string)configMap["data"]!["wasmkube-workloads.json"]!;
        Assert.Equal((await File.ReadAllTextAsync(RepositoryPaths.Dashboard)).TrimEnd('\n'), json);
        Assert.Equal("wasmkube-workloads", (string?)JsonNode.Parse(json)!["uid"]);
    }

    [Fact]
    public async Task Chart_version_and_app_version_follow_VERSION_and_the_images_default_to_it()
    {
        var version = (await File.ReadAllTextAsync(RepositoryPaths.Version)).Trim();
        var chartYaml = Yaml.Document(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Chart, "Chart.yaml")));

        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", version);
        Assert.Equal(version, (string?)chartYaml["version"]);
        Assert.Equal(version, (string?)chartYaml["appVersion"]);
        // The binaries the images carry were built with the same version (Directory.Build.props reads VERSION).
        var informational = typeof(OperatorHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(version, informational.Split('+')[0]);
        Assert.Equal(version, typeof(NodeAgentHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0]);
        var chart = await RenderedChart.RenderAsync();
        Assert.Equal($"docker.io/wasmkube/wasmkube-operator:{version}", (string?)chart.Get("Deployment", "wasmkube-operator")["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal($"docker.io/wasmkube/wasmkube-node-agent:{version}", (string?)chart.Get("DaemonSet", "wasmkube-node-agent")["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal($"docker.io/wasmkube/wasmkube-node-agent:{version}", (string?)chart.Get("DaemonSet", "wasmkube-uninstall")["spec"]!["template"]!["spec"]!["initContainers"]![0]!["image"]);
    }

    [Fact]
    public async Task The_operator_runs_elected_with_probes_and_metrics_on_the_ports_its_flags_name()
    {
        var chart = await RenderedChart.RenderAsync();
        var deployment = chart.Get("Deployment", "wasmkube-operator");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

        var options = OperatorCommandLine.Parse(RenderedChart.Args(deployment, "operator"));
        Assert.Equal(2, (int?)deployment["spec"]!["replicas"]);
        Assert.True(options.LeaderElect);
        Assert.Equal(RenderedChart.Namespace, options.LeaderElectionNamespace);
        Assert.Null(options.Namespace);
        Assert.Equal(options.MetricsAddress!.Port, ContainerPort(container, "metrics"));
        Assert.Equal(options.HealthProbeAddress!.Port, ContainerPort(container, "probes"));
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);

        // Pod Security "restricted": non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp.
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True((bool?)pod["securityContext"]!["runAsNonRoot"]);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        Assert.False((bool?)container["securityContext"]!["allowPrivilegeEscalation"]);
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.True((bool?)container["securityContext"]!["readOnlyRootFilesystem"]);

        // The disruption budget keeps one of the two replicas through voluntary disruptions.
        var budget = chart.Get("PodDisruptionBudget", "wasmkube-operator");
        Assert.Equal(1, (int?)budget["spec"]!["minAvailable"]);
        Assert.True(JsonNode.DeepEquals(deployment["spec"]!["selector"]!["matchLabels"], budget["spec"]!["selector"]!["matchLabels"]));
    }

    [Fact]
    public async Task The_node_agent_reaches_every_node_privileged_with_the_host_root_and_its_metrics_port()
    {
        var chart = await RenderedChart.RenderAsync();
        var daemonSet = chart.Get("DaemonSet", "wasmkube-node-agent");
        var pod = daemonSet["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        var options = NodeAgentCommandLine.Parse(RenderedChart.Args(daemonSet, "node-agent"))!;
        Assert.Equal("/host", options.HostRoot);
        Assert.False(options.Uninstall);
        Assert.Equal(9464, options.ListenAddress.Port);
        Assert.Equal(9464, ContainerPort(container, "metrics"));
        Assert.True((bool?)pod["hostPID"]);
        Assert.True((bool?)container["securityContext"]!["privileged"]);
        Assert.Equal("/host", (string?)container["volumeMounts"]![0]!["mountPath"]);
        Assert.Equal("/", (string?)pod["volumes"]![0]!["hostPath"]!["path"]);
        Assert.Equal("spec.nodeName", (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == "NODE_NAME")!["valueFrom"]!["fieldRef"]!["fieldPath"]);
        // A toleration of every taint (operator Exists, no key) puts the agent on control planes and tainted nodes too.
        Assert.Contains(pod["tolerations"]!.AsArray(), t => (string?)t!["operator"] == "Exists" && t["key"] is null);
        Assert.Equal("RollingUpdate", (string?)daemonSet["spec"]!["updateStrategy"]!["type"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
    }

    [Fact]
    public async Task The_runtime_class_places_wasm_pods_only_on_nodes_the_agent_prepared()
    {
        var chart = await RenderedChart.RenderAsync();
        var runtimeClass = chart.Get("RuntimeClass", RuntimeNames.RuntimeClass);
        var agentDefaults = NodeAgentCommandLine.Parse([])!;

        Assert.Equal(RuntimeNames.RuntimeClass, RenderedChart.Name(runtimeClass));
        Assert.Equal(agentDefaults.HandlerName, (string?)runtimeClass["handler"]);
        var selector = runtimeClass["scheduling"]!["nodeSelector"]!.AsObject();
        Assert.Equal("ready", (string?)Assert.Single(selector, p => p.Key == RuntimeNames.NodeLabel).Value);
    }

    [Fact]
    public async Task The_uninstall_hook_runs_the_agents_uninstall_on_the_agents_nodes_and_waits_for_all()
    {
        var chart = await RenderedChart.RenderAsync("--set", "nodeAgent.containerdConfig=/etc/containerd/custom.toml", "--set", "nodeAgent.nodeSelector.wasm=yes");
        var agent = chart.Get("DaemonSet", "wasmkube-node-agent");
        var uninstall = chart.Get("DaemonSet", "wasmkube-uninstall");
        var wait = chart.Get("Job", "wasmkube-uninstall-wait");

        var options = NodeAgentCommandLine.Parse(RenderedChart.Args(uninstall, "uninstall"))!;
        Assert.True(options.Uninstall);
        Assert.Equal("/etc/containerd/custom.toml", options.ContainerdConfig);
        Assert.Equal("/host", options.HostRoot);
        // Same nodes as the agent: node selector, affinity and tolerations are the agent's.
        foreach (var field in new[] { "nodeSelector", "affinity", "tolerations" })
        {
            Assert.True(JsonNode.DeepEquals(agent["spec"]!["template"]!["spec"]![field], uninstall["spec"]!["template"]!["spec"]![field]), field);
        }
        Assert.True((bool?)uninstall["spec"]!["template"]!["spec"]!["hostPID"]);
        foreach (var hook in new[] { uninstall, wait })
        {
            Assert.Equal("post-delete", (string?)hook["metadata"]!["annotations"]!["helm.sh/hook"]);
        }
        Assert.Equal(["rollout", "status", "daemonset/wasmkube-uninstall", $"--namespace={RenderedChart.Namespace}", "--timeout=300s"], RenderedChart.Args(wait, "wait"));
        // The waiter runs after the DaemonSet exists.
        Assert.True(int.Parse((string)wait["metadata"]!["annotations"]!["helm.sh/hook-weight"]!) > int.Parse((string)uninstall["metadata"]!["annotations"]!["helm.sh/hook-weight"]!));
    }

    [Fact]
    public async Task The_metrics_services_select_the_pods_and_their_metrics_ports()
    {
        var chart = await RenderedChart.RenderAsync();
        foreach (var (service, workload) in new[] { ("wasmkube-operator-metrics", chart.Get("Deployment", "wasmkube-operator")), ("wasmkube-node-agent-metrics", chart.Get("DaemonSet", "wasmkube-node-agent")) })
        {
            var spec = chart.Get("Service", service)["spec"]!;
            Assert.True(JsonNode.DeepEquals(workload["spec"]!["selector"]!["matchLabels"], spec["selector"]), service);
            Assert.Equal("metrics", (string?)spec["ports"]![0]!["targetPort"]);
            Assert.Equal((int?)spec["ports"]![0]!["port"], ContainerPort(workload["spec"]!["template"]!["spec"]!["containers"]![0]!, "metrics"));
        }
        Assert.Equal("None", (string?)chart.Get("Service", "wasmkube-node-agent-metrics")["spec"]!["clusterIP"]);
    }

    private static int? ContainerPort(JsonNode container, string name) =>
        (int?)container["ports"]!.AsArray().Single(p => (string?)p!["name"] == name)!["containerPort"];
}
