using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Images;
using WasmKube.NodeAgent.Install;
using WasmKube.Testing.Cri;

namespace WasmKube.NodeAgent.Tests.EndToEnd;

/// <summary>
/// What kubelet does with a pod of runtimeClassName wasmkube, against a containerd started on the config the agent
/// edited: a pod sandbox on CRI runtime handler "wasmkube" and a wasm container in it, driven over CRI.
/// </summary>
public sealed class CriHandlerEndToEndTests : IAsyncLifetime
{
    private const string Handler = "wasmkube";
    private readonly TempDirectory _temp = new();
    private PrivateContainerd _containerd = null!;
    private CriClient _cri = null!;
    private CriPods _pods = null!;

    public async Task InitializeAsync()
    {
        _containerd = await PrivateContainerd.CreateForCriAsync();
        await _containerd.StartAsync();
        _cri = new CriClient(_containerd.Socket);
        _pods = new CriPods(_cri, Handler, _containerd.PodLogDirectory);
    }

    public async Task DisposeAsync()
    {
        await _pods.DisposeAsync();
        _cri.Dispose();
        await _containerd.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_pod_on_the_handler_the_agent_registered_runs_a_wasm_container_with_its_output_in_the_cri_log()
    {
        await _containerd.ImportSandboxImageAsync();
        var image = await ImportHelloImageAsync();
        // The default config has no such handler: the pod below runs only because of the agent's registration.
        var unregistered = await Assert.ThrowsAsync<CriException>(() => _pods.RunPodAsync("before-setup"));
        Assert.Contains(Handler, unregistered.Message, StringComparison.Ordinal);

        var state = new NodeSetupState();
        var options = AgentTestOptions.For(_containerd, _temp);
        var setup = new NodeSetup(options, new HostCommands("/", enterHostNamespaces: false), null, state, NullLogger<NodeSetup>.Instance);
        await setup.RunAsync(CancellationToken.None);
        Assert.True(state.Current.Phase == NodeSetupPhase.Ready, state.Current.Message);
        // RestartContainerd is off in tests (no systemd): the restart a node's unit would do.
        await _containerd.StopAsync();
        await _containerd.StartAsync();

        var (podId, podConfig) = await _pods.RunPodAsync("hello");
        var containerId = await _pods.CreateAndStartAsync(podId, podConfig, "hello", image);
        var status = await _pods.WaitForExitAsync(containerId);
        var log = await CriPods.ReadLogAsync(status.LogPath, "a line on stderr");
        await _cri.RuntimeAsync<RemoveContainerResponse>("RemoveContainer", new RemoveContainerRequest { ContainerId = containerId });
        await _pods.StopAndRemovePodAsync(podId);

        Assert.True(status.ExitCode == 0, $"exit {status.ExitCode}, log: {log}");
        Assert.Contains(" stdout F hello from wasm", log, StringComparison.Ordinal);
        Assert.Contains(" stderr F a line on stderr", log, StringComparison.Ordinal);
        var tasks = await _containerd.CtrAsync("--namespace k8s.io task ls -q");
        Assert.True(tasks.ExitCode == 0 && tasks.Output.Trim().Length == 0, $"tasks left after the pod was removed: {tasks.Output}");
    }

    /// <summary>hello.wat (shared with the shim tests) compiled and built into an image as <c>wasmkube image build</c> does.</summary>
    private async Task<string> ImportHelloImageAsync()
    {
        var module = _temp.Combine("hello.wasm");
        await RunAsync("wat2wasm", Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Guests", "hello.wat"), "-o", module);
        var archive = _temp.Combine("hello.tar");
        var options = new ImageBuildOptions
        {
            ModulePath = module,
            ModuleImagePath = "/hello.wasm",
            Reference = ImageReference.Parse("agent-cri-hello:1"),
            Platform = ImagePlatform.LinuxAmd64,
        };
        await using (var file = File.Create(archive))
        {
            OciImageBuilder.Build(options, file);
        }

        var import = await _containerd.CtrAsync($"--namespace k8s.io image import {archive}");
        Assert.True(import.ExitCode == 0, import.Output);
        return options.Reference.ToString();
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program}: {error}");
    }

}
