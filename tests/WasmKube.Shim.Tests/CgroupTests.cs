using WasmKube.Cgroups;
using WasmKube.Shim.Cgroups;

namespace WasmKube.Shim.Tests;

public sealed class CgroupTests
{
    [Theory]
    [InlineData("kubepods-besteffort-pod12.slice:cri-containerd:abc", "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice/cri-containerd-abc.scope")]
    [InlineData("/kubepods/besteffort/pod12/abc", "kubepods/besteffort/pod12/abc")]
    [InlineData("/k8s.io/abc", "k8s.io/abc")]
    [InlineData("", "default/abc")]
    public void Cgroups_path_forms_resolve_to_a_hierarchy_relative_path(string cgroupsPath, string expected) =>
        Assert.Equal(expected, CgroupHierarchy.RelativePath(cgroupsPath, "default", "abc"));

    [Fact]
    public void Hybrid_hosts_use_v1_controllers_and_the_separate_unified_mount()
    {
        var mountinfo = WriteMountinfo(
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

        var hierarchy = CgroupHierarchy.Discover(mountinfo);
        File.Delete(mountinfo);

        Assert.True(hierarchy.IsV1);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", hierarchy.V1Controllers["cpuacct"]);
        Assert.Equal("/sys/fs/cgroup/memory", hierarchy.V1Controllers["memory"]);
        Assert.DoesNotContain("name=systemd", hierarchy.V1Controllers.Keys);
        Assert.Equal("/sys/fs/cgroup/unified", hierarchy.Unified);
        var cgroup = new ContainerCgroup(hierarchy, "k8s.io/abc");
        Assert.Contains("/sys/fs/cgroup/memory/k8s.io/abc", cgroup.Directories);
        Assert.Equal("io.containerd.cgroups.v1.Metrics", cgroup.ReadMetrics().TypeUrl);
    }

    [Fact]
    public void Pure_v2_hosts_report_v2_metrics_with_a_bare_type_url()
    {
        var mountinfo = WriteMountinfo("30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate");
        var hierarchy = CgroupHierarchy.Discover(mountinfo);
        File.Delete(mountinfo);

        var cgroup = new ContainerCgroup(hierarchy, "k8s.io/missing");

        Assert.False(hierarchy.IsV1);
        Assert.Equal(["/sys/fs/cgroup/k8s.io/missing"], cgroup.Directories);
        Assert.Equal("io.containerd.cgroups.v2.Metrics", cgroup.ReadMetrics().TypeUrl);
    }

    [Fact]
    public void This_host_has_a_memory_controller_to_place_containers_in()
    {
        var hierarchy = CgroupHierarchy.Discover();

        Assert.True(hierarchy.IsV1 || hierarchy.Unified is not null);
    }

    private static string WriteMountinfo(params string[] lines)
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, lines);
        return path;
    }
}
