using System.Text.RegularExpressions;
using WasmKube.Contracts;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// Per-container CPU and memory of every wasm container on the node, read at scrape time from the shim's container
/// records and each container's cgroup. Names and labels follow cAdvisor's (container_cpu_usage_seconds_total,
/// container_memory_working_set_bytes with namespace, pod, container) under a wasmkube_ prefix, plus the workload.
/// </summary>
public sealed partial class WorkloadMetricsCollector(ContainerRecordReader records, ICgroupStatsSource cgroups) : ICollector
{
    public static readonly IReadOnlyList<string> LabelNames = ["namespace", "pod", "container", "workload"];

    public IEnumerable<MetricFamily> Collect()
    {
        var cpu = new List<MetricSample>();
        var throttled = new List<MetricSample>();
        var workingSet = new List<MetricSample>();
        var rss = new List<MetricSample>();
        var usage = new List<MetricSample>();
        var memoryLimit = new List<MetricSample>();
        var cpuLimit = new List<MetricSample>();

        // Reading cgroup files is most of a scrape; the containers are independent, so read them on every core.
        var measured = records.ReadRecords()
            .Where(record => record.Kind == ContainerRecord.Wasm && record.Status != ContainerRecord.Deleted)
            .AsParallel().AsOrdered()
            .Select(record => (Record: record, Stats: cgroups.Read(record.CgroupPath)))
            .ToList();
        foreach (var (record, found) in measured)
        {
            if (found is not { } stats) continue;
            string[] labels = LabelValues(record);
            cpu.Add(new MetricSample(labels, stats.CpuUsageSeconds));
            throttled.Add(new MetricSample(labels, stats.CpuThrottledSeconds));
            workingSet.Add(new MetricSample(labels, stats.MemoryWorkingSetBytes));
            rss.Add(new MetricSample(labels, stats.MemoryRssBytes));
            usage.Add(new MetricSample(labels, stats.MemoryUsageBytes));
            if (stats.MemoryLimitBytes is { } limit) memoryLimit.Add(new MetricSample(labels, limit));
            if (stats.CpuLimitCores is { } cores) cpuLimit.Add(new MetricSample(labels, cores));
        }

        yield return Family("wasmkube_container_cpu_usage_seconds_total", "Cumulative CPU time consumed by the container.", MetricType.Counter, cpu);
        yield return Family("wasmkube_container_cpu_throttled_seconds_total", "Cumulative time the container was throttled by its CPU limit.", MetricType.Counter, throttled);
        yield return Family("wasmkube_container_memory_working_set_bytes", "Memory in use less inactive file cache (what eviction and kubectl top use).", MetricType.Gauge, workingSet);
        yield return Family("wasmkube_container_memory_rss_bytes", "Anonymous memory of the container.", MetricType.Gauge, rss);
        yield return Family("wasmkube_container_memory_usage_bytes", "Memory charged to the container's cgroup, cache included.", MetricType.Gauge, usage);
        yield return Family("wasmkube_container_memory_limit_bytes", "Memory limit of the container's cgroup.", MetricType.Gauge, memoryLimit);
        yield return Family("wasmkube_container_cpu_limit_cores", "CPU limit of the container (quota / period).", MetricType.Gauge, cpuLimit);
    }

    public static string[] LabelValues(ContainerRecord record) =>
        [record.PodNamespace ?? record.Namespace, record.PodName ?? "", record.ContainerName ?? record.Id, WorkloadOf(record)];

    /// <summary>The WasmWorkload of a pod: its annotation, else the pod name less the ReplicaSet and pod suffixes.</summary>
    public static string WorkloadOf(ContainerRecord record)
    {
        if (!string.IsNullOrEmpty(record.Workload)) return record.Workload;
        if (string.IsNullOrEmpty(record.PodName)) return "";
        var match = DeploymentPodName().Match(record.PodName);
        return match.Success ? match.Groups["workload"].Value : record.PodName;
    }

    private static MetricFamily Family(string name, string help, MetricType type, List<MetricSample> samples) =>
        new(name, help, type, LabelNames, samples);

    // Deployment pods are named <deployment>-<pod-template-hash>-<5 random>.
    [GeneratedRegex("^(?<workload>.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$")]
    private static partial Regex DeploymentPodName();
}
