using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Cli.Image;
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
    private readonly List<string> _pods = [];
    private PrivateContainerd _containerd = null!;
    private CriClient _cri = null!;

    public async Task InitializeAsync()
    {
        _containerd = await PrivateContainerd.CreateForCriAsync();
        await _containerd.StartAsync();
        _cri = new CriClient(_containerd.Socket);
    }

    public async Task DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            await IgnoreCriErrors(_cri.RuntimeAsync<StopPodSandboxResponse>("StopPodSandbox", new StopPodSandboxRequest { PodSandboxId = pod }));
            await IgnoreCriErrors(_cri.RuntimeAsync<RemovePodSandboxResponse>("RemovePodSandbox", new RemovePodSandboxRequest { PodSandboxId = pod }));
        }

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
        var unregistered = await Assert.ThrowsAsync<CriException>(() => RunPodAsync("before-setup"));
        Assert.Contains(Handler, unregistered.Message, StringComparison.Ordinal);

        var state = new NodeSetupState();
        var options = AgentTestOptions.For(_containerd, _temp);
        var setup = new NodeSetup(options, new HostCommands("/", enterHostNamespaces: false), null, state, NullLogger<NodeSetup>.Instance);
        await setup.RunAsync(CancellationToken.None);
        Assert.True(state.Current.Phase == NodeSetupPhase.Ready, state.Current.Message);
        // RestartContainerd is off in tests (no systemd): the restart a node's unit would do.
        await _containerd.StopAsync();
        await _containerd.StartAsync();

        var (podId, podConfig) = await RunPodAsync("hello");
        var containerId = await CreateAndStartAsync(podId, podConfig, "hello", image);
        var status = await WaitForExitAsync(containerId);
        var log = await ReadLogAsync(status.LogPath, "a line on stderr");
        await _cri.RuntimeAsync<RemoveContainerResponse>("RemoveContainer", new RemoveContainerRequest { ContainerId = containerId });
        await _cri.RuntimeAsync<StopPodSandboxResponse>("StopPodSandbox", new StopPodSandboxRequest { PodSandboxId = podId });
        await _cri.RuntimeAsync<RemovePodSandboxResponse>("RemovePodSandbox", new RemovePodSandboxRequest { PodSandboxId = podId });
        _pods.Remove(podId);

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

    private async Task<(string Id, PodSandboxConfig Config)> RunPodAsync(string name)
    {
        var uid = Guid.NewGuid().ToString();
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Uid = uid, Namespace = "default" },
            Hostname = name,
            LogDirectory = Path.Combine(_containerd.PodLogDirectory, uid),
            Linux = new LinuxPodSandboxConfig(),
        };
        Directory.CreateDirectory(config.LogDirectory);
        var response = await _cri.RuntimeAsync<RunPodSandboxResponse>("RunPodSandbox", new RunPodSandboxRequest { Config = config, RuntimeHandler = Handler });
        _pods.Add(response.PodSandboxId);
        return (response.PodSandboxId, config);
    }

    private async Task<string> CreateAndStartAsync(string podId, PodSandboxConfig podConfig, string name, string image)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = image },
            LogPath = name + ".log",
        };
        var created = await _cri.RuntimeAsync<CreateContainerResponse>("CreateContainer",
            new CreateContainerRequest { PodSandboxId = podId, Config = config, SandboxConfig = podConfig });
        await _cri.RuntimeAsync<StartContainerResponse>("StartContainer", new StartContainerRequest { ContainerId = created.ContainerId });
        return created.ContainerId;
    }

    private async Task<ContainerStatus> WaitForExitAsync(string id)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = (await _cri.RuntimeAsync<ContainerStatusResponse>("ContainerStatus", new ContainerStatusRequest { ContainerId = id })).Status;
            if (status.State == ContainerState.ContainerExited)
            {
                return status;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"container {id} did not exit (state {status.State})");
            await Task.Delay(100);
        }
    }

    /// <summary>The CRI log file ("TIMESTAMP STREAM TAG MESSAGE" lines), once it holds <paramref name="expected"/>.</summary>
    private static async Task<string> ReadLogAsync(string path, string expected)
    {
        var deadline = Stopwatch.StartNew();
        var text = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(20) && !text.Contains(expected, StringComparison.Ordinal))
        {
            await Task.Delay(100);
            text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        }

        return text;
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

    private static async Task IgnoreCriErrors(Task task)
    {
        try
        {
            await task;
        }
        catch (CriException)
        {
        }
    }
}
