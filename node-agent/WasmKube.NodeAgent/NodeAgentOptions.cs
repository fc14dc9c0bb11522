using WasmKube.Contracts;
using WasmKube.Endpoints;

namespace WasmKube.NodeAgent;

/// <summary>Settings of the agent; every one is a command-line flag (see <see cref="NodeAgentCommandLine"/>).</summary>
public sealed record NodeAgentOptions
{
    /// <summary>Where the host's root is mounted in the agent's pod; "/" when run on the node itself.</summary>
    public string HostRoot { get; init; } = "/host";

    /// <summary>The node payload the agent image carries (shim, executors, VERSION, SHA256SUMS), installed onto the host.</summary>
    public string ShimSource { get; init; } = "/opt/wasmkube-agent/shim";

    /// <summary>Host folder of the installed versions (<c>VERSION/</c>) and the <c>current</c> link containerd uses.</summary>
    public string InstallDirectory { get; init; } = "/opt/wasmkube";

    /// <summary>Host folder of the shim's settings file and the probe's rootfs.</summary>
    public string ConfigDirectory { get; init; } = "/opt/wasmkube/etc";

    /// <summary>An explicit containerd config file; otherwise found by distribution.</summary>
    public string? ContainerdConfig { get; init; }

    public string ContainerdSocket { get; init; } = "/run/containerd/containerd.sock";

    public string HandlerName { get; init; } = RuntimeNames.DefaultHandler;

    public string ShimBinaryName { get; init; } = RuntimeNames.ShimProgram;

    /// <summary>The node this agent prepares (the DaemonSet passes spec.nodeName as NODE_NAME).</summary>
    public string? NodeName { get; init; } = Environment.GetEnvironmentVariable("NODE_NAME");

    /// <summary>Whether the agent may restart containerd to load a changed config.</summary>
    public bool RestartContainerd { get; init; } = true;

    /// <summary>
    /// A host command that restarts containerd (program and arguments, split at spaces), for nodes where containerd
    /// is not a systemd unit; otherwise the distribution's unit is restarted with systemctl.
    /// </summary>
    public IReadOnlyList<string>? RestartCommand { get; init; }

    /// <summary>Undo everything this agent did on the node, then exit.</summary>
    public bool Uninstall { get; init; }

    /// <summary>Make the previously installed payload version current again, then exit.</summary>
    public bool Rollback { get; init; }

    /// <summary>Where the shim publishes one JSON record per container (the shim's WASMKUBE_STATE_DIR).</summary>
    public string StateDirectory { get; init; } = ContainerRecordLayout.DefaultDirectory;

    /// <summary>Where /metrics, /healthz and /readyz are served.</summary>
    public EndpointAddress ListenAddress { get; init; } = EndpointAddress.Parse(":9464");

    public string? Kubeconfig { get; init; }

    /// <summary>Skip everything that talks to the API server (node label, RuntimeClass, Events).</summary>
    public bool Standalone { get; init; }

    /// <summary>Serve metrics only; leave the node as it is (for nodes prepared otherwise, and for local use).</summary>
    public bool MetricsOnly { get; init; }

    /// <summary>The shim as containerd starts it: through the <c>current</c> link, so the path never changes.</summary>
    public string ShimPath => Path.Join(InstallDirectory, Install.PayloadInstaller.CurrentLink, ShimBinaryName);
}
