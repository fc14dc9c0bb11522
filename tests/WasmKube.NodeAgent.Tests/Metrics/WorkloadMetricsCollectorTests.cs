using WasmKube.Cgroups;
using WasmKube.Contracts;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Tests.Metrics;

public sealed class WorkloadMetricsCollectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Reports_cgroup_v2_usage_of_wasm_containers_only()
    {
        var unified = _temp.Combine("unified");
        WriteCgroup(unified, "kubepods/pod1/c1", new()
        {
            ["cpu.stat"] = "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nthrottled_usec 125000\n",
            ["memory.current"] = "10485760\n",
            ["memory.stat"] = "anon 4194304\nfile 6291456\ninactive_file 2097152\n",
            ["memory.max"] = "67108864\n",
            ["cpu.max"] = "50000 100000\n",
        });
        WriteRecord("k8s.io", "c1", "wasm", "/kubepods/pod1/c1", "default", "hello-7d9f8c6b5-x2x4z", "app");
        WriteRecord("k8s.io", "sandbox", "native", "/kubepods/pod1/sandbox", "default", "hello-7d9f8c6b5-x2x4z", null);
        var collector = new WorkloadMetricsCollector(new ContainerRecordReader(_temp.Combine("state")), new CgroupStatsReader(new CgroupHierarchy(new Dictionary<string, string>(), unified)));

        var text = TextFormat.Write(collector.Collect());

        const string labels = "{namespace=\"default\",pod=\"hello-7d9f8c6b5-x2x4z\",container=\"app\",workload=\"hello\"}";
        Assert.Contains($"wasmkube_container_cpu_usage_seconds_total{labels} 2.5\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_cpu_throttled_seconds_total{labels} 0.125\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_memory_usage_bytes{labels} 10485760\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_memory_working_set_bytes{labels} 8388608\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_memory_rss_bytes{labels} 4194304\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_memory_limit_bytes{labels} 67108864\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_cpu_limit_cores{labels} 0.5\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_cgroup_v1_usage_from_separate_controller_mounts()
    {
        var memory = _temp.Combine("memory");
        var cpu = _temp.Combine("cpu");
        var cpuacct = _temp.Combine("cpuacct");
        WriteCgroup(memory, "wasm/c2", new()
        {
            ["memory.usage_in_bytes"] = "3000000\n",
            ["memory.stat"] = "cache 1000000\nrss 1500000\ntotal_rss 1600000\ntotal_inactive_file 500000\n",
            ["memory.limit_in_bytes"] = "9223372036854771712\n",
        });
        WriteCgroup(cpu, "wasm/c2", new() { ["cpu.stat"] = "nr_periods 10\nnr_throttled 2\nthrottled_time 3000000000\n", ["cpu.cfs_quota_us"] = "-1\n", ["cpu.cfs_period_us"] = "100000\n" });
        WriteCgroup(cpuacct, "wasm/c2", new() { ["cpuacct.usage"] = "1500000000\n" });
        WriteRecord("default", "c2", "wasm", "/wasm/c2", null, null, null);
        var hierarchy = new CgroupHierarchy(new Dictionary<string, string> { ["memory"] = memory, ["cpu"] = cpu, ["cpuacct"] = cpuacct }, null);
        var collector = new WorkloadMetricsCollector(new ContainerRecordReader(_temp.Combine("state")), new CgroupStatsReader(hierarchy));

        var text = TextFormat.Write(collector.Collect());

        const string labels = "{namespace=\"default\",pod=\"\",container=\"c2\",workload=\"\"}";
        Assert.Contains($"wasmkube_container_cpu_usage_seconds_total{labels} 1.5\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_cpu_throttled_seconds_total{labels} 3\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_memory_working_set_bytes{labels} 2500000\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_container_memory_rss_bytes{labels} 1600000\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wasmkube_container_memory_limit_bytes{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wasmkube_container_cpu_limit_cores{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_whose_cgroup_is_gone_or_whose_record_is_damaged_is_skipped()
    {
        var unified = _temp.Combine("unified");
        Directory.CreateDirectory(unified);
        WriteRecord("k8s.io", "gone", "wasm", "/kubepods/gone", "default", "p", "c");
        File.WriteAllText(_temp.Combine("state", "k8s.io", "broken.json"), "{ not json");
        var collector = new WorkloadMetricsCollector(new ContainerRecordReader(_temp.Combine("state")), new CgroupStatsReader(new CgroupHierarchy(new Dictionary<string, string>(), unified)));

        var families = collector.Collect().ToList();

        Assert.All(families, family => Assert.Empty(family.Samples));
        Assert.Contains(families, family => family.Name == "wasmkube_container_cpu_usage_seconds_total");
    }

    [Theory]
    [InlineData("hello-7d9f8c6b5-x2x4z", null, "hello")]
    [InlineData("my-app-5f6d8b9c7d-abcde", null, "my-app")]
    [InlineData("standalone", null, "standalone")]
    [InlineData("hello-7d9f8c6b5-x2x4z", "from-annotation", "from-annotation")]
    public void The_workload_comes_from_the_annotation_or_the_deployment_pod_name(string pod, string? annotation, string workload) =>
        Assert.Equal(workload, WorkloadMetricsCollector.WorkloadOf(new ContainerRecord
        {
            Id = "c", Namespace = "k8s.io", Kind = ContainerRecord.Wasm, Bundle = "/b", Status = ContainerRecord.Running, CgroupPath = "/c",
            PodName = pod, Workload = annotation,
        }));

    public void Dispose() => _temp.Dispose();

    private static void WriteCgroup(string root, string relative, Dictionary<string, string> files)
    {
        var dir = Path.Combine(root, relative);
        Directory.CreateDirectory(dir);
        foreach (var (name, content) in files) File.WriteAllText(Path.Combine(dir, name), content);
    }

    [Fact]
    public void A_deleted_tasks_record_reports_no_usage_even_where_its_cgroup_path_is_in_use_again()
    {
        var unified = _temp.Combine("unified");
        WriteCgroup(unified, "kubepods/pod1/c1", new() { ["cpu.stat"] = "usage_usec 2500000\n", ["memory.current"] = "10485760\n" });
        WriteRecord("k8s.io", "c1", "wasm", "/kubepods/pod1/c1", "default", "hello-7d9f8c6b5-x2x4z", "app", status: "deleted");
        var collector = new WorkloadMetricsCollector(new ContainerRecordReader(_temp.Combine("state")), new CgroupStatsReader(new CgroupHierarchy(new Dictionary<string, string>(), unified)));

        var text = TextFormat.Write(collector.Collect());

        Assert.DoesNotContain("container=\"app\"", text, StringComparison.Ordinal);
    }

    private void WriteRecord(string ns, string id, string kind, string cgroupPath, string? podNamespace, string? podName, string? containerName,
        string status = "running")
    {
        var dir = _temp.Combine("state", ns);
        Directory.CreateDirectory(dir);
        var json = System.Text.Json.JsonSerializer.Serialize(new ContainerRecord
        {
            Id = id, Namespace = ns, Kind = kind, Status = status, CgroupPath = cgroupPath, Bundle = "/b",
            PodNamespace = podNamespace, PodName = podName, ContainerName = containerName,
        }, ContractJson.Default.ContainerRecord);
        File.WriteAllText(Path.Combine(dir, id + ContainerRecordLayout.RecordSuffix), json);
    }
}
