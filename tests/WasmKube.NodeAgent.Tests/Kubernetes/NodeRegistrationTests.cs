using WasmKube.Contracts;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Testing;
using WasmKube.NodeAgent.Kubernetes;

namespace WasmKube.NodeAgent.Tests.Kubernetes;

/// <summary>What the agent writes to the API server, against the test API server.</summary>
public sealed class NodeRegistrationTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubernetesClient _client = null!;
    private NodeRegistration _registration = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
        _registration = new NodeRegistration(_client, new EventRecorder(_client, "wasmkube-node-agent"));
        await _client.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" } } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_ready_node_is_labelled_and_the_runtime_class_schedules_on_the_label()
    {
        await _registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);
        await _registration.MarkAsync("node-1", ready: true, "WasmRuntimeReady", "verified", CancellationToken.None);

        var node = (await _client.GetAsync<V1Node>(null, "node-1"))!;
        Assert.Equal("ready", node.Metadata.Labels![RuntimeNames.NodeLabel]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        var runtimeClass = (await _client.GetAsync<V1RuntimeClass>(null, "wasmkube"))!;
        Assert.Equal("wasmkube", runtimeClass.Handler);
        Assert.Equal("ready", runtimeClass.Scheduling!.NodeSelector![RuntimeNames.NodeLabel]);
    }

    [Fact]
    public async Task A_failed_node_gets_the_failed_label_and_a_warning_event_with_the_reason()
    {
        await _registration.MarkAsync("node-1", ready: false, "WasmRuntimeFailed", "cannot register the runtime handler: inline table", CancellationToken.None);

        var node = (await _client.GetAsync<V1Node>(null, "node-1"))!;
        Assert.Equal("failed", node.Metadata.Labels![RuntimeNames.NodeLabel]);
        var events = await _client.ListAsync<Corev1Event>(null);
        var warning = Assert.Single(events.Items, e => e.InvolvedObject.Name == "node-1");
        Assert.Equal("Warning", warning.Type);
        Assert.Equal("WasmRuntimeFailed", warning.Reason);
        Assert.Contains("inline table", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensuring_twice_writes_once_and_a_wrong_handler_is_replaced()
    {
        await _registration.EnsureRuntimeClassAsync("wasmkube", "other", CancellationToken.None);
        await _registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);
        _server.Requests.Clear();

        await _registration.EnsureRuntimeClassAsync("wasmkube", "wasmkube", CancellationToken.None);

        Assert.Equal("wasmkube", (await _client.GetAsync<V1RuntimeClass>(null, "wasmkube"))!.Handler);
        Assert.Equal(0, _server.Requests.Writes);
    }

    [Fact]
    public async Task Uninstall_removes_only_the_label()
    {
        await _registration.MarkAsync("node-1", ready: true, "WasmRuntimeReady", "verified", CancellationToken.None);

        await _registration.UnmarkAsync("node-1", CancellationToken.None);

        var labels = (await _client.GetAsync<V1Node>(null, "node-1"))!.Metadata.Labels!;
        Assert.False(labels.ContainsKey(RuntimeNames.NodeLabel));
        Assert.Equal("linux", labels["kubernetes.io/os"]);
    }
}
