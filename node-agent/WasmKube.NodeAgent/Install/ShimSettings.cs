namespace WasmKube.NodeAgent.Install;

/// <summary>
/// Node settings the shim reads from the file named by the handler's <c>options.ConfigPath</c> (containerd sends it
/// as runtimeoptions.v1.Options.config_path): the cgroup driver must match kubelet's, or per-container metrics go missing.
/// </summary>
public sealed record ShimSettings(bool SystemdCgroup);
