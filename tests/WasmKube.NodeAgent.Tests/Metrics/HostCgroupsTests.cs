using WasmKube.NodeAgent.Metrics;

namespace WasmKube.NodeAgent.Tests.Metrics;

/// <summary>
/// The agent in its pod: the host's mounts come from the host's pid 1, and each cgroup mount point is opened under
/// the host root, not at the same path in the pod, where /sys/fs/cgroup shows only the pod's own cgroup.
/// </summary>
public sealed class HostCgroupsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Mount_points_of_the_hosts_pid_1_are_found_under_the_host_root()
    {
        var proc = _temp.Combine("proc");
        Directory.CreateDirectory(Path.Combine(proc, "1"));
        Directory.CreateDirectory(Path.Combine(proc, "self"));
        File.WriteAllText(Path.Combine(proc, "1", "mountinfo"), """
            25 1 0:23 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory
            26 1 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct
            27 1 0:25 / /sys/fs/cgroup/unified rw,nosuid shared:11 - cgroup2 cgroup2 rw

            """);
        // The pod's own view, which must not be used.
        File.WriteAllText(Path.Combine(proc, "self", "mountinfo"), "30 29 0:23 /kubepods/pod1/agent /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n");

        var hierarchy = HostCgroups.Discover("/host", proc);

        Assert.Equal("/host/sys/fs/cgroup/memory", hierarchy.V1Controllers["memory"]);
        Assert.Equal("/host/sys/fs/cgroup/cpu,cpuacct", hierarchy.V1Controllers["cpuacct"]);
        Assert.Equal("/host/sys/fs/cgroup/unified", hierarchy.Unified);
    }

    [Fact]
    public void On_the_node_itself_the_process_own_mounts_are_used_as_they_are()
    {
        var proc = _temp.Combine("proc");
        Directory.CreateDirectory(Path.Combine(proc, "self"));
        File.WriteAllText(Path.Combine(proc, "self", "mountinfo"), "27 1 0:25 / /sys/fs/cgroup rw,nosuid shared:11 - cgroup2 cgroup2 rw\n");

        var hierarchy = HostCgroups.Discover("/", proc);

        Assert.Equal("/sys/fs/cgroup", hierarchy.Unified);
        Assert.False(hierarchy.IsV1);
    }

    public void Dispose() => _temp.Dispose();
}
