using System.Globalization;
using System.Text.Json.Nodes;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Endpoints;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;
using WasmKube.Kube.Testing.Envtest;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Tests;

/// <summary>
/// Where operator tests run: the in-process test API server by default; an existing cluster only when asked with
/// WASMKUBE_USE_EXISTING_CLUSTER=true (a KUBECONFIG in the environment alone never sends tests to a cluster); or an
/// envtest control plane (etcd + kube-apiserver) started from $KUBEBUILDER_ASSETS once per test process
/// (e2e/README.md). Each test gets its own namespace, and the operator under test watches only that namespace.
/// On the test server and on envtest no controller-manager runs, so <see cref="MakeDeploymentReadyAsync"/> plays the
/// deployment controller; on a real cluster it waits for the real one.
/// </summary>
internal sealed class ClusterUnderTest : IAsyncDisposable
{
    /// <summary>The envtest control plane, started by the first test that needs it and stopped when the process exits.</summary>
    private static readonly Lazy<Task<EnvtestControlPlane>> SharedEnvtest = new(StartEnvtestAsync);

    private ClusterUnderTest(KubernetesClientConfiguration configuration, string kubeconfigPath, string @namespace, TestApiServer? server)
    {
        Configuration = configuration;
        KubeconfigPath = kubeconfigPath;
        Namespace = @namespace;
        Server = server;
        Client = new KubernetesClient(configuration);
    }

    public KubernetesClientConfiguration Configuration { get; }

    public string KubeconfigPath { get; }

    public string Namespace { get; }

    /// <summary>The test API server, or null on a real cluster (fault injection needs it).</summary>
    public TestApiServer? Server { get; }

    public KubernetesClient Client { get; }

    public bool IsRealCluster => Server is null;

    /// <summary>Image used by workloads in tests; on a real cluster it must be pullable by the nodes.</summary>
    public static string Image => Environment.GetEnvironmentVariable("WASMKUBE_E2E_IMAGE") ?? "registry.example.com/hello-wasm:1.0";

    /// <summary>The opt-in that sends the tests to an existing cluster, like envtest's USE_EXISTING_CLUSTER.</summary>
    public const string UseExistingClusterVariable = "WASMKUBE_USE_EXISTING_CLUSTER";

    /// <summary>
    /// With <see cref="UseExistingClusterVariable"/> set to true, the kubeconfig of the cluster the tests target
    /// ($KUBECONFIG, its first file, else ~/.kube/config); otherwise null.
    /// </summary>
    public static string? ExternalKubeconfig =>
        !string.Equals(Environment.GetEnvironmentVariable(UseExistingClusterVariable), "true", StringComparison.OrdinalIgnoreCase) ? null
        : Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } value ? value.Split(':')[0]
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    /// <summary>The envtest assets directory ($KUBEBUILDER_ASSETS) the tests start a control plane from, or null (an existing cluster wins).</summary>
    public static string? EnvtestAssets => ExternalKubeconfig is null ? EnvtestControlPlane.AssetsFromEnvironment : null;

    public static async Task<ClusterUnderTest> StartAsync(TestApiServerOptions? options = null)
    {
        var @namespace = $"wk-{Guid.NewGuid():N}"[..20];
        TestApiServer? server = null;
        string path;
        if (ExternalKubeconfig is { } external)
        {
            path = external;
        }
        else if (EnvtestAssets is not null)
        {
            path = (await SharedEnvtest.Value).KubeconfigPath;
        }
        else
        {
            server = await TestApiServer.StartAsync(options);
            await server.ApplyFileAsync(RepositoryPaths.Crd);
            path = server.KubeconfigPath;
        }
        var cluster = new ClusterUnderTest(KubeConfigLoader.Load(path), path, @namespace, server);
        await cluster.Client.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = @namespace } });
        return cluster;
    }

    private static async Task<EnvtestControlPlane> StartEnvtestAsync()
    {
        var plane = await EnvtestControlPlane.StartAsync(EnvtestAssets!);
        // xunit has no process-wide teardown; a started etcd and kube-apiserver must not outlive the test host.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => plane.DisposeAsync().AsTask().GetAwaiter().GetResult();
        await plane.InstallCrdsAsync(RepositoryPaths.Crd);
        return plane;
    }

    public Task<RunningOperator> StartOperatorAsync(int workers = 4, bool leaderElect = false, TimeSpan? recheckInterval = null) =>
        RunningOperator.StartAsync(new OperatorCommandLine
        {
            Namespace = Namespace,
            LeaderElect = leaderElect,
            LeaderElectionNamespace = Namespace,
            HealthProbeAddress = EndpointAddress.Parse("127.0.0.1:0"),
            MetricsAddress = EndpointAddress.Parse("127.0.0.1:0"),
            MaxConcurrentReconciles = workers,
            RecheckInterval = recheckInterval ?? TimeSpan.FromMilliseconds(500),
        }, Configuration);

    public V1alpha1WasmWorkload Workload(string name, int replicas = 1, params WasmWorkloadPort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = Namespace },
        Spec = new V1alpha1WasmWorkloadSpec
        {
            Image = Image,
            Replicas = replicas,
            Args = ["--greeting", "hi"],
            Env = [new V1EnvVar { Name = "GREETING", Value = "hello" }],
            Ports = ports.Length == 0 ? null : ports,
        },
    };

    public Task<V1alpha1WasmWorkload?> GetWorkloadAsync(string name) => Client.GetAsync<V1alpha1WasmWorkload>(Namespace, name);

    public static V1Condition? Condition(V1alpha1WasmWorkload? workload, string type) =>
        workload?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Brings the Deployment's status to "all replicas ready" (test server, envtest) or waits for that (real cluster).</summary>
    public async Task MakeDeploymentReadyAsync(string name)
    {
        if (Server is not null)
        {
            await Eventually.WaitAsync(async () => await Client.GetAsync<V1Deployment>(Namespace, name) is not null, $"Deployment {name} exists");
            Server.SetDeploymentReady(Namespace, name);
            return;
        }
        if (EnvtestAssets is not null)
        {
            await Eventually.WaitAsync(async () => await Client.GetAsync<V1Deployment>(Namespace, name) is not null, $"Deployment {name} exists");
            await Client.PatchAsync<V1Deployment>(Namespace, name, ReadyStatusPatch((await Client.GetAsync<V1Deployment>(Namespace, name))!), status: true);
            return;
        }
        await Eventually.WaitAsync(async () =>
        {
            var deployment = await Client.GetAsync<V1Deployment>(Namespace, name);
            return deployment?.Status?.ReadyReplicas == (deployment?.Spec?.Replicas ?? -1);
        }, $"Deployment {name} has all replicas ready", TimeSpan.FromMinutes(3));
    }

    /// <summary>The deployment controller's "all replicas ready" status, as a merge patch for the status subresource.</summary>
    private static KubernetesPatch ReadyStatusPatch(V1Deployment deployment)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var status = DeploymentReadiness.Status(deployment.Metadata.Name!, deployment.Metadata.Generation, replicas, replicas, now);
        return new KubernetesPatch(PatchType.Merge, new JsonObject { ["status"] = status }.ToJsonString());
    }

    public Task WaitForConditionAsync(string name, string type, string status, string? reason = null) =>
        Eventually.WaitAsync(async () =>
        {
            var condition = Condition(await GetWorkloadAsync(name), type);
            return condition?.Status == status && (reason is null || condition.Reason == reason);
        }, $"WasmWorkload {name} has {type}={status}{(reason is null ? "" : $" ({reason})")}");

    public async ValueTask DisposeAsync()
    {
        if (IsRealCluster)
        {
            // Not waited for: without a namespace controller (envtest) the namespace stays Terminating for good.
            await Client.DeleteAsync<V1Namespace>(null, Namespace);
        }
        Client.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
