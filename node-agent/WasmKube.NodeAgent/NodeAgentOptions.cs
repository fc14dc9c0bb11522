using WasmKube.Kube.Hosting;

namespace WasmKube.NodeAgent;

/// <summary>Settings of the agent; every one is a command-line flag (see <see cref="NodeAgentCommandLine"/>).</summary>
public sealed record NodeAgentOptions
{
    /// <summary>Where the host's root is mounted in the agent's pod; "/" when run on the node itself.</summary>
    public string HostRoot { get; init; } = "/host";

    /// <summary>The shim files the agent image carries, installed onto the host.</summary>
    public string ShimSource { get; init; } = "/opt/wasmkube-agent/shim";

    /// <summary>Host folder the shim is installed into.</summary>
    public string InstallDirectory { get; init; } = "/opt/wasmkube/bin";

    /// <summary>Host folder of the shim's settings file and the probe's rootfs.</summary>
    public string ConfigDirectory { get; init; } = "/opt/wasmkube/etc";

    /// <summary>An explicit containerd config file; otherwise found by distribution.</summary>
    public string? ContainerdConfig { get; init; }

    public string ContainerdSocket { get; init; } = "/run/containerd/containerd.sock";

    public string HandlerName { get; init; } = "wasmkube";

    public string RuntimeClassName { get; init; } = "wasmkube";

    public string ShimBinaryName { get; init; } = "containerd-shim-wasmkube-v1";

    /// <summary>The node this agent prepares (the DaemonSet passes spec.nodeName as NODE_NAME).</summary>
    public string? NodeName { get; init; } = Environment.GetEnvironmentVariable("NODE_NAME");

    /// <summary>Whether the agent may restart containerd to load a changed config.</summary>
    public bool RestartContainerd { get; init; } = true;

    /// <summary>Undo everything this agent did on the node, then exit.</summary>
    public bool Uninstall { get; init; }

    /// <summary>Where the shim publishes one JSON record per container (the shim's WASMKUBE_STATE_DIR).</summary>
    public string StateDirectory { get; init; } = "/run/wasmkube/containers";

    /// <summary>Where /metrics, /healthz and /readyz are served.</summary>
    public EndpointAddress ListenAddress { get; init; } = EndpointAddress.Parse(":9464");

    public string? Kubeconfig { get; init; }

    /// <summary>Skip everything that talks to the API server (node label, RuntimeClass, Events).</summary>
    public bool Standalone { get; init; }

    /// <summary>Serve metrics only; leave the node as it is (for nodes prepared otherwise, and for local use).</summary>
    public bool MetricsOnly { get; init; }

    public string ShimPath => Path.Join(InstallDirectory, ShimBinaryName);
}
