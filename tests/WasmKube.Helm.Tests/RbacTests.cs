using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WasmKube.Contracts;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Endpoints;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;
using WasmKube.NodeAgent;
using WasmKube.NodeAgent.Containerd;
using WasmKube.NodeAgent.Install;
using WasmKube.NodeAgent.Kubernetes;
using WasmKube.Operator;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;
using Xunit.Abstractions;

namespace WasmKube.Helm.Tests;

/// <summary>
/// The chart's RBAC, proven rather than guessed: the operator and the agent run with the flags the chart renders,
/// each authenticated as its service account, against the test API server, which logs every request with its user.
/// Every request a component made must be allowed by the rules the chart binds to its service account, and every
/// rule must have been needed by some request.
/// </summary>
public sealed class RbacTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ns = RenderedChart.Namespace;
    private static readonly string Operator = Account("wasmkube-operator");
    private static readonly string Agent = Account("wasmkube-node-agent");
    private static readonly string Uninstaller = Account("wasmkube-uninstall");
    private static readonly string Waiter = Account("wasmkube-uninstall-waiter");

    private TestApiServer _server = null!;
    private KubernetesClient _admin = null!;
    private readonly string _hostRoot = Directory.CreateTempSubdirectory("wasmkube-rbac-host-").FullName;

    private static string Account(string name) => $"system:serviceaccount:{Ns}:{name}";

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(new TestApiServerOptions
        {
            Users = new[] { Operator, Agent, Uninstaller, Waiter }.ToDictionary(u => $"token-{Guid.NewGuid():N}", u => u),
        });
        _admin = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
        _server.ApplyYaml($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_hostRoot, recursive: true);
    }

    [Fact]
    public async Task The_operator_watching_every_namespace_needs_exactly_its_cluster_role_and_lease_role()
    {
        var chart = await InstallAsync();

        await RunOperatorScenarioAsync(chart, "apps");

        AssertExactlyNeeded(chart, "wasmkube-operator", Operator);
    }

    [Fact]
    public async Task The_operator_watching_one_namespace_needs_only_a_role_there_and_its_lease()
    {
        var chart = await InstallAsync("--set", "operator.watchNamespace=apps", "--set", "operator.replicas=1");

        await RunOperatorScenarioAsync(chart, "apps");

        AssertExactlyNeeded(chart, "wasmkube-operator", Operator);
        Assert.DoesNotContain(_server.Requests.Snapshot(), r => r.User == Operator && r.Namespace is null);
    }

    [Fact]
    public async Task The_agent_needs_its_node_label_events_and_a_look_at_the_charts_runtime_class()
    {
        var chart = await InstallAsync();
        await CreateNodeAsync();
        var agent = chart.Get("DaemonSet", "wasmkube-node-agent");

        await RunFailingSetupTwiceAsync(agent);
        using (var host = AgentHost(RenderedChart.Args(agent, "node-agent"), Agent))
        {
            // The last step of a setup that succeeds (the earlier ones touch only the node's files and containerd).
            var registration = host.Services.GetRequiredService<NodeRegistration>();
            await registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);
            await registration.MarkAsync("node-1", true, "WasmRuntimeReady", "runtime handler wasmkube installed and verified", CancellationToken.None);
        }

        Assert.Equal("ready", (await _admin.GetAsync<V1Node>(null, "node-1"))!.Metadata.Labels![RuntimeNames.NodeLabel]);
        Assert.Contains(_server.Requests.Snapshot(), r => r.User == Agent && r.Verb == "patch" && r.Resource == "events");
        AssertExactlyNeeded(chart, "wasmkube-node-agent", Agent);
    }

    [Fact]
    public async Task Without_the_charts_runtime_class_the_agent_creates_and_repairs_it_with_the_rights_granted_for_that()
    {
        var chart = await InstallAsync("--set", "runtimeClass.create=false");
        await CreateNodeAsync();
        await RunFailingSetupTwiceAsync(chart.Get("DaemonSet", "wasmkube-node-agent"));
        using var host = AgentHost(RenderedChart.Args(chart.Get("DaemonSet", "wasmkube-node-agent"), "node-agent"), Agent);
        var registration = host.Services.GetRequiredService<NodeRegistration>();

        await registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);
        await registration.MarkAsync("node-1", true, "WasmRuntimeReady", "verified", CancellationToken.None);
        // Someone changed the node selector: it is put back.
        var runtimeClass = (await _admin.GetAsync<V1RuntimeClass>(null, "wasmkube"))!;
        runtimeClass.Scheduling = null;
        await _admin.ReplaceAsync(runtimeClass);
        await registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);
        // Someone else's RuntimeClass of that name with another handler (immutable): replaced.
        await _admin.DeleteAsync<V1RuntimeClass>(null, "wasmkube");
        await _admin.CreateAsync(new V1RuntimeClass { Metadata = new V1ObjectMeta { Name = "wasmkube" }, Handler = "other" });
        await registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);

        var repaired = (await _admin.GetAsync<V1RuntimeClass>(null, "wasmkube"))!;
        Assert.Equal("wasmkube", repaired.Handler);
        Assert.Equal("ready", repaired.Scheduling!.NodeSelector![RuntimeNames.NodeLabel]);
        AssertExactlyNeeded(chart, "wasmkube-node-agent", Agent);
    }

    [Fact]
    public async Task The_uninstall_hook_restores_containerds_config_needing_only_to_unlabel_nodes_and_its_waiter_only_to_watch_its_daemon_set()
    {
        var chart = await InstallAsync();
        await CreateNodeAsync();
        await _admin.PatchAsync<V1Node>(null, "node-1", new KubernetesPatch(PatchType.Merge, """{"metadata":{"labels":{"wasmkube.io/runtime":"ready"}}}"""));
        // Hooks exist only while helm runs them; here they are applied as `helm uninstall` would create them.
        _server.ApplyYaml(string.Join("---\n", chart.Objects.Where(RenderedChart.IsHook).Select(o => o.ToJsonString() + "\n")));

        // What the hook's init container runs on each node: the agent's uninstall, with the rendered flags, on a node
        // the agent prepared (handler registered in containerd's config by the agent's own installer, which has the
        // real containerd load the edited file). The config comes back byte for byte.
        const string original = "version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n  default_runtime_name = \"runc\"\n";
        Directory.CreateDirectory(Path.Combine(_hostRoot, "opt", "wasmkube", "bin"));
        Directory.CreateDirectory(Path.Combine(_hostRoot, "opt", "wasmkube", "etc"));
        Directory.CreateDirectory(Path.Combine(_hostRoot, "etc", "containerd"));
        var config = Path.Combine(_hostRoot, "etc", "containerd", "config.toml");
        await File.WriteAllTextAsync(config, original);
        var registered = await new RuntimeHandlerInstaller(new HostCommands(_hostRoot, enterHostNamespaces: false)).RegisterAsync(
            ContainerdConfigLocator.Locate(_hostRoot),
            new RuntimeHandler("wasmkube", "io.containerd.wasmkube.v1", "/opt/wasmkube/bin/containerd-shim-wasmkube-v1", ["wasmkube.io/*"]));
        Assert.True(registered.Changed);
        Assert.Contains("wasmkube", await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        using (var host = AgentHost(RenderedChart.Args(chart.Get("DaemonSet", "wasmkube-uninstall"), "uninstall"), Uninstaller))
        {
            Assert.True(host.Services.GetRequiredService<NodeAgentOptions>().Uninstall);
            await host.Services.GetRequiredService<NodeSetup>().UninstallAsync(CancellationToken.None);
        }
        Assert.Equal(original, await File.ReadAllTextAsync(config));
        Assert.False((await _admin.GetAsync<V1Node>(null, "node-1"))!.Metadata.Labels!.ContainsKey(RuntimeNames.NodeLabel));

        // The waiter: the real kubectl, as the Job runs it, once the DaemonSet reports every node's pod available.
        var daemonSet = _server.GetObject("apps/v1", "daemonsets", Ns, "wasmkube-uninstall")!;
        var generation = (long)daemonSet["metadata"]!["generation"]!;
        using var admin = Tool.Kubectl(_server.KubeconfigPath);
        (await admin.RunAsync("patch", "daemonset/wasmkube-uninstall", "-n", Ns, "--subresource=status", "--type=merge", "-p",
            $$$"""{"status":{"observedGeneration":{{{generation}}},"currentNumberScheduled":1,"desiredNumberScheduled":1,"numberMisscheduled":0,"numberReady":1,"updatedNumberScheduled":1,"numberAvailable":1}}""")).Ok();
        using var waiter = Tool.Kubectl(_server.KubeconfigFor(Waiter));
        var wait = chart.Get("Job", "wasmkube-uninstall-wait");
        var status = (await waiter.RunAsync(RenderedChart.Args(wait, "wait").Select(a => a.StartsWith("--timeout=", StringComparison.Ordinal) ? "--timeout=60s" : a))).Ok();
        Assert.Contains("successfully rolled out", status, StringComparison.Ordinal);

        AssertExactlyNeeded(chart, "wasmkube-uninstall", Uninstaller);
        AssertExactlyNeeded(chart, "wasmkube-uninstall-waiter", Waiter);
    }

    /// <summary>Renders the chart and stores its objects as `helm install` would (as the admin, so unlogged).</summary>
    private async Task<RenderedChart> InstallAsync(params string[] args)
    {
        var chart = await RenderedChart.RenderAsync(args);
        _server.ApplyYaml("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n");
        _server.ApplyYaml(string.Join("---\n", chart.Objects.Where(o => !RenderedChart.IsHook(o)).Select(o => o.ToJsonString() + "\n")));
        return chart;
    }

    private Task CreateNodeAsync() =>
        _admin.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" } } });

    /// <summary>
    /// Setup that fails (here: no shim to install) labels the node failed with an Event; the retry a minute later
    /// counts the same Event up.
    /// </summary>
    private async Task RunFailingSetupTwiceAsync(System.Text.Json.Nodes.JsonObject daemonSet)
    {
        using var host = AgentHost(RenderedChart.Args(daemonSet, "node-agent"), Agent, shimSource: Path.Combine(_hostRoot, "missing"));
        var setup = host.Services.GetRequiredService<NodeSetup>();
        await setup.RunAsync(CancellationToken.None);
        await setup.RunAsync(CancellationToken.None);
        Assert.Equal(NodeSetupPhase.Failed, host.Services.GetRequiredService<NodeSetupState>().Current.Phase);
        Assert.Equal("failed", (await _admin.GetAsync<V1Node>(null, "node-1"))!.Metadata.Labels![RuntimeNames.NodeLabel]);
    }

    /// <summary>The agent's host as its Program builds it, from rendered flags, on a scratch host root, as <paramref name="user"/>.</summary>
    private IHost AgentHost(IReadOnlyList<string> args, string user, string? shimSource = null)
    {
        var options = NodeAgentCommandLine.Parse(args)! with { HostRoot = _hostRoot, NodeName = "node-1", RestartContainerd = false };
        if (shimSource is not null)
        {
            options = options with { ShimSource = shimSource };
        }
        return NodeAgentHost.Build(options, KubeConfigLoader.Load(_server.KubeconfigFor(user)));
    }

    /// <summary>
    /// The replicas the chart renders, with its flags, as the operator's service account: workloads with ports and
    /// env from a ConfigMap and a Secret become ready, change their ports (each of the operator's writes losing a race once) and then lose them, are scaled twice (the repeated Event is
    /// counted up), degrade on a missing ConfigMap, and are deleted; the leader stops and the other replica takes over.
    /// </summary>
    private async Task RunOperatorScenarioAsync(RenderedChart chart, string workloadNamespace)
    {
        var deployment = chart.Get("Deployment", "wasmkube-operator");
        var replicas = (int)deployment["spec"]!["replicas"]!;
        var flags = OperatorCommandLine.Parse(RenderedChart.Args(deployment, "operator")) with
        {
            // Loopback and quick rechecks for the test; what is requested does not depend on these.
            HealthProbeAddress = EndpointAddress.Parse("127.0.0.1:0"),
            MetricsAddress = EndpointAddress.Parse("127.0.0.1:0"),
            RecheckInterval = TimeSpan.FromMilliseconds(300),
        };
        var operators = new List<IHost>();
        for (var i = 0; i < replicas; i++)
        {
            var host = OperatorHost.Build(flags, KubeConfigLoader.Load(_server.KubeconfigFor(Operator)), logging => logging.SetMinimumLevel(LogLevel.Warning));
            await host.StartAsync();
            operators.Add(host);
            if (i == 0 && flags.LeaderElect)
            {
                // The first replica leads, so stopping it below hands the Lease over.
                await WaitAsync(async () => (await _admin.GetAsync<V1Lease>(Ns, "wasmkube-operator-leader"))?.Spec?.HolderIdentity is { Length: > 0 }, "the first replica holds the Lease");
            }
        }
        try
        {
            await _admin.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings", Namespace = workloadNamespace }, Data = new Dictionary<string, string> { ["greeting"] = "hi" } });
            await _admin.CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "credentials", Namespace = workloadNamespace }, StringData = new Dictionary<string, string> { ["token"] = "t" } });
            var web = Workload(workloadNamespace, "web");
            web.Spec.Ports = [new WasmWorkloadPort { Name = "http", ContainerPort = 8080, ServicePort = 80 }];
            web.Spec.Env =
            [
                new V1EnvVar { Name = "GREETING", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "greeting" } } },
                new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "credentials", Key = "token" } } },
            ];
            await _admin.CreateAsync(web);
            await WaitAsync(async () => await _admin.GetAsync<V1Deployment>(workloadNamespace, "web") is not null && await _admin.GetAsync<V1Service>(workloadNamespace, "web") is not null, "the Deployment and Service of web");
            _server.SetDeploymentReady(workloadNamespace, "web");
            await WaitAsync(async () => Condition(await _admin.GetAsync<V1alpha1WasmWorkload>(workloadNamespace, "web"), ConditionTypes.Ready) == "True", "web Ready");

            // Each write of this change loses a race once (409), as against another writer: the operator re-reads
            // what it writes and tries again.
            foreach (var resource in new[] { "deployments", "services", "wasmworkloads" })
            {
                _server.Faults.FailNext(1, 409, r => r.User == Operator && r.Verb == "update" && r.Resource == resource);
            }
            await UpdateWorkloadAsync(workloadNamespace, "web", w => w.Spec.Ports = [new WasmWorkloadPort { Name = "http", ContainerPort = 9090, ServicePort = 8080 }]);
            await WaitAsync(async () => (await _admin.GetAsync<V1Service>(workloadNamespace, "web"))!.Spec!.Ports![0].Port == 8080, "web's Service on the new port");
            await WaitAsync(() => Task.FromResult(new[] { "deployments", "services", "wasmworkloads" }.All(resource =>
                _server.Requests.Count(r => r.User == Operator && r.Verb == "get" && r.Resource == resource) > 0)), "the re-reads after the conflicts");

            await UpdateWorkloadAsync(workloadNamespace, "web", w =>
            {
                w.Spec.Ports = null;
                w.Spec.Replicas = 3;
            });
            await WaitAsync(async () => await _admin.GetAsync<V1Service>(workloadNamespace, "web") is null, "web's Service removed with its ports");
            await WaitAsync(async () => (await _admin.GetAsync<V1Deployment>(workloadNamespace, "web"))!.Spec!.Replicas == 3, "web scaled to 3");
            // A second update of the same kind repeats the same Event, which is counted up rather than written anew.
            await UpdateWorkloadAsync(workloadNamespace, "web", w => w.Spec.Replicas = 4);
            await WaitAsync(() => Task.FromResult(_server.Requests.Count(r => r.User == Operator && r.Resource == "events" && r.Verb == "patch") > 0), "the repeated UpdatedDeployment Event counted up");

            var broken = Workload(workloadNamespace, "broken");
            broken.Spec.Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent", Key = "x" } } }];
            await _admin.CreateAsync(broken);
            await WaitAsync(async () => Condition(await _admin.GetAsync<V1alpha1WasmWorkload>(workloadNamespace, "broken"), ConditionTypes.Degraded) == "True", "broken Degraded");

            await _admin.DeleteAsync<V1alpha1WasmWorkload>(workloadNamespace, "web");
            await _admin.DeleteAsync<V1alpha1WasmWorkload>(workloadNamespace, "broken");

            if (replicas > 1)
            {
                // The leader steps down on shutdown; the other replica takes the Lease.
                var lease = await _admin.GetAsync<V1Lease>(Ns, "wasmkube-operator-leader");
                var leader = lease!.Spec!.HolderIdentity;
                await operators[0].StopAsync();
                operators[0].Dispose();
                operators.RemoveAt(0);
                await WaitAsync(async () => (await _admin.GetAsync<V1Lease>(Ns, "wasmkube-operator-leader"))!.Spec!.HolderIdentity is { Length: > 0 } holder && holder != leader,
                    "the other replica holds the Lease");
            }
        }
        finally
        {
            foreach (var host in operators)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    /// <summary>Changes a workload as a user would, again from a fresh read when the operator's status write came first.</summary>
    private async Task UpdateWorkloadAsync(string ns, string name, Action<V1alpha1WasmWorkload> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var workload = (await _admin.GetAsync<V1alpha1WasmWorkload>(ns, name))!;
            change(workload);
            try
            {
                await _admin.ReplaceAsync(workload);
                return;
            }
            catch (KubernetesApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 10)
            {
                // The operator updated the status in between.
            }
        }
    }

    private static V1alpha1WasmWorkload Workload(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = ns },
        Spec = new V1alpha1WasmWorkloadSpec { Image = "registry.example.com/hello-wasm:1.0", Replicas = 1 },
    };

    private static string? Condition(V1alpha1WasmWorkload? workload, string type) =>
        workload?.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }
        }
    }

    /// <summary>
    /// Grants a real cluster needs that the test API server cannot show being used, each documented in the chart:
    /// kubectl 1.35 watches with a streaming list (sendInitialEvents), which the test server serves, and falls back to
    /// a plain list on API servers that do not serve streaming lists.
    /// </summary>
    private static readonly (string ServiceAccount, Grant Grant)[] NeededOnRealClusters =
    [
        ("wasmkube-uninstall-waiter", new Grant("apps", "daemonsets", "list", null, Ns)),
    ];

    /// <summary>Every request of <paramref name="user"/> is allowed to the service account, and every grant was used.</summary>
    private void AssertExactlyNeeded(RenderedChart chart, string serviceAccount, string user)
    {
        var policy = RbacPolicy.For(chart, Ns, serviceAccount);
        var requests = _server.Requests.Snapshot().Where(r => r.User == user).ToList();
        Assert.NotEmpty(requests);
        foreach (var used in requests.Select(RbacPolicy.Describe).Distinct().Order(StringComparer.Ordinal))
        {
            output.WriteLine($"{serviceAccount}: {used}");
        }

        var denied = requests.Where(r => !policy.Allows(r)).Select(r => $"{r.Verb} {r.Group}/{r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)} {r.Namespace}/{r.Name}").Distinct().ToList();
        Assert.True(denied.Count == 0, $"{serviceAccount} made requests its rules do not allow:\n{string.Join('\n', denied)}");
        var unused = policy.Unused(requests).Except(NeededOnRealClusters.Where(e => e.ServiceAccount == serviceAccount).Select(e => e.Grant)).ToList();
        Assert.True(unused.Count == 0, $"{serviceAccount} is granted what no request needed:\n{string.Join('\n', unused)}");
    }
}
