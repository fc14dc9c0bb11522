namespace WasmKube.NodeAgent.Metrics;

/// <summary>A container cgroup's usage and limits at one moment, in base units.</summary>
/// <param name="MemoryWorkingSetBytes">Usage less inactive file cache: what kubelet evicts on and what cAdvisor reports.</param>
/// <param name="MemoryLimitBytes">Null when unlimited.</param>
/// <param name="CpuLimitCores">quota / period; null when unlimited.</param>
public sealed record CgroupStats(
    double CpuUsageSeconds,
    double CpuThrottledSeconds,
    long MemoryUsageBytes,
    long MemoryWorkingSetBytes,
    long MemoryRssBytes,
    long? MemoryLimitBytes,
    double? CpuLimitCores);
