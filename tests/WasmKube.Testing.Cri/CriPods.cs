using System.Diagnostics;

namespace WasmKube.Testing.Cri;

/// <summary>
/// Pods and containers driven over CRI the way kubelet does it, on one runtime handler. Pods still running at dispose
/// are stopped and removed.
/// </summary>
public sealed class CriPods(CriClient cri, string handler, string logDirectory) : IAsyncDisposable
{
    private readonly List<string> _pods = [];

    public async Task<(string Id, PodSandboxConfig Config)> RunPodAsync(string name, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var uid = Guid.NewGuid().ToString();
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Uid = uid, Namespace = "default" },
            Hostname = name,
            LogDirectory = Path.Combine(logDirectory, uid),
            Linux = new LinuxPodSandboxConfig(),
        };
        foreach (var (key, value) in annotations ?? new Dictionary<string, string>()) config.Annotations[key] = value;
        Directory.CreateDirectory(config.LogDirectory);
        var response = await cri.RuntimeAsync<RunPodSandboxResponse>("RunPodSandbox", new RunPodSandboxRequest { Config = config, RuntimeHandler = handler });
        _pods.Add(response.PodSandboxId);
        return (response.PodSandboxId, config);
    }

    public async Task StopAndRemovePodAsync(string podId)
    {
        await cri.RuntimeAsync<StopPodSandboxResponse>("StopPodSandbox", new StopPodSandboxRequest { PodSandboxId = podId });
        await cri.RuntimeAsync<RemovePodSandboxResponse>("RemovePodSandbox", new RemovePodSandboxRequest { PodSandboxId = podId });
        _pods.Remove(podId);
    }

    public async Task<string> CreateAndStartAsync(string podId, PodSandboxConfig podConfig, string name, string image,
        long memoryLimit = 0, IReadOnlyList<string>? command = null, LinuxContainerSecurityContext? securityContext = null,
        IReadOnlyList<Mount>? mounts = null)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = image },
            LogPath = name + ".log",
            Linux = new LinuxContainerConfig
            {
                Resources = new LinuxContainerResources { MemoryLimitInBytes = memoryLimit, CpuShares = 512 },
                SecurityContext = securityContext,
            },
        };
        config.Command.AddRange(command ?? []);
        config.Mounts.AddRange(mounts ?? []);
        var created = await cri.RuntimeAsync<CreateContainerResponse>("CreateContainer",
            new CreateContainerRequest { PodSandboxId = podId, Config = config, SandboxConfig = podConfig });
        await cri.RuntimeAsync<StartContainerResponse>("StartContainer", new StartContainerRequest { ContainerId = created.ContainerId });
        return created.ContainerId;
    }

    public async Task<ContainerStatus> StatusAsync(string id) =>
        (await cri.RuntimeAsync<ContainerStatusResponse>("ContainerStatus", new ContainerStatusRequest { ContainerId = id })).Status;

    /// <summary>The container's status once it exited; a TimeoutException after a minute.</summary>
    public async Task<ContainerStatus> WaitForExitAsync(string id)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await StatusAsync(id);
            if (status.State == ContainerState.ContainerExited)
            {
                return status;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"container {id} did not exit (state {status.State})");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The CRI log file ("TIMESTAMP STREAM TAG MESSAGE" lines), once it holds <paramref name="expected"/> or after 20 s.</summary>
    public static async Task<string> ReadLogAsync(string path, string expected)
    {
        var deadline = Stopwatch.StartNew();
        var text = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (text.Contains(expected, StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100);
        }

        return text;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods.ToList())
        {
            try
            {
                await StopAndRemovePodAsync(pod);
            }
            catch (CriException)
            {
                // Already gone with a failed test: nothing left to clean up.
            }
        }
    }
}
