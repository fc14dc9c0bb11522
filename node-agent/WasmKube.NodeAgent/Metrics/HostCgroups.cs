using WasmKube.Cgroups;
using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// The node's cgroup hierarchy as the agent reaches it. In its pod the agent has a cgroup namespace (and mounts) of
/// its own: its <c>/sys/fs/cgroup</c> shows only its own cgroup. The node's mounts are read from the mountinfo of
/// the host's pid 1 (the pod shares the host's PID namespace), and each mount point, a host path, is opened under
/// the host root (mounted recursively, so the host's cgroup mounts are inside it).
/// </summary>
public static class HostCgroups
{
    public static CgroupHierarchy Discover(string hostRoot, string procRoot = "/proc")
    {
        if (hostRoot is "" or "/") return CgroupHierarchy.Discover(Path.Join(procRoot, "self", "mountinfo"));

        var host = CgroupHierarchy.Discover(Path.Join(procRoot, "1", "mountinfo"));
        return new CgroupHierarchy(
            host.V1Controllers.ToDictionary(c => c.Key, c => HostRoot.Resolve(hostRoot, c.Value), StringComparer.Ordinal),
            host.Unified is null ? null : HostRoot.Resolve(hostRoot, host.Unified));
    }
}
