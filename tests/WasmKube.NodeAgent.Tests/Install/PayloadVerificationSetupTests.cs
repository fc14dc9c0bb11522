using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Contracts;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Testing;
using WasmKube.NodeAgent.Install;
using WasmKube.NodeAgent.Kubernetes;

namespace WasmKube.NodeAgent.Tests.Install;

/// <summary>Node setup given a payload that fails verification, against the test API server.</summary>
public sealed class PayloadVerificationSetupTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private TestApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
        await _client.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_checksum_mismatch_leaves_the_node_unchanged_labels_it_failed_and_says_why_in_an_event()
    {
        var installRoot = _temp.Combine("opt", "wasmkube");
        await new PayloadInstaller(Payload.Create(_temp.Combine("v1"), "1.0.0", ("containerd-shim-wasmkube-v1", "v1")), installRoot, new RunningPayloadProcesses(installRoot)).InstallAsync();
        var config = _temp.Combine("config.toml");
        File.WriteAllText(config, "version = 2\n");
        var source = Payload.Create(_temp.Combine("v2"), "2.0.0", ("containerd-shim-wasmkube-v1", "v2"));
        File.WriteAllText(Path.Combine(source, "containerd-shim-wasmkube-v1"), "v2, altered after the build");
        var options = new NodeAgentOptions
        {
            HostRoot = "/", ShimSource = source, InstallDirectory = installRoot, ConfigDirectory = _temp.Combine("etc"),
            ContainerdConfig = config, NodeName = "node-1", RestartContainerd = false,
        };
        var state = new NodeSetupState();
        var registration = new NodeRegistration(_client, new EventRecorder(_client, "wasmkube-node-agent"));

        await new NodeSetup(options, new HostCommands("/", enterHostNamespaces: false), registration, state, NullLogger<NodeSetup>.Instance).RunAsync(CancellationToken.None);

        Assert.Equal(NodeSetupPhase.Failed, state.Current.Phase);
        Assert.Equal("1.0.0", new FileInfo(Path.Combine(installRoot, "current")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(installRoot, "2.0.0")));
        Assert.Equal("version = 2\n", File.ReadAllText(config));
        var node = (await _client.GetAsync<V1Node>(null, "node-1"))!;
        Assert.Equal("failed", node.Metadata.Labels![RuntimeNames.NodeLabel]);
        var warning = Assert.Single((await _client.ListAsync<Corev1Event>(null)).Items, e => e.InvolvedObject.Name == "node-1");
        Assert.Equal("WasmRuntimeFailed", warning.Reason);
        Assert.Contains("cannot install the node payload: the payload in", warning.Message, StringComparison.Ordinal);
        Assert.Contains("containerd-shim-wasmkube-v1 has sha256", warning.Message, StringComparison.Ordinal);
    }
}
