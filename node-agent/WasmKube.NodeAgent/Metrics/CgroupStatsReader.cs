using System.Globalization;
using WasmKube.Cgroups;

namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// Reads cgroup v1 or v2 statistics (Linux Documentation/admin-guide/cgroup-v2.rst and cgroup-v1/*.rst): CPU time,
/// throttled time, memory usage, working set (usage less inactive_file, as kubelet computes it), RSS and limits.
/// </summary>
public sealed class CgroupStatsReader(CgroupHierarchy hierarchy) : ICgroupStatsSource
{
    // v1 reports "unlimited" as the largest page-aligned signed 64-bit value.
    private const ulong V1Unlimited = 0x7FFFFFFFFFFFF000;

    public CgroupStats? Read(string cgroupPath)
    {
        var relative = CgroupHierarchy.RelativePath(cgroupPath, "", "");
        try
        {
            return hierarchy.IsV1 ? ReadV1(relative) : ReadV2(relative);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The container exited and its cgroup was removed between discovery and reading.
            return null;
        }
    }

    private CgroupStats? ReadV2(string relative)
    {
        if (hierarchy.Unified is not { } root) return null;
        var dir = Path.Combine(root, relative);
        if (!Directory.Exists(dir)) return null;
        var cpu = CgroupFiles.KeyValues(Path.Combine(dir, "cpu.stat"));
        var memory = CgroupFiles.KeyValues(Path.Combine(dir, "memory.stat"));
        var usage = CgroupFiles.ReadNumber(Path.Combine(dir, "memory.current"));
        return new CgroupStats(
            cpu.GetValueOrDefault("usage_usec") / 1e6,
            cpu.GetValueOrDefault("throttled_usec") / 1e6,
            (long)usage,
            WorkingSet(usage, memory.GetValueOrDefault("inactive_file")),
            (long)memory.GetValueOrDefault("anon"),
            (long?)CgroupFiles.TryReadNumber(Path.Combine(dir, "memory.max")),
            CpuMaxCores(Path.Combine(dir, "cpu.max")));
    }

    private CgroupStats? ReadV1(string relative)
    {
        string? Dir(string controller) =>
            hierarchy.V1Controllers.TryGetValue(controller, out var mount) ? Path.Combine(mount, relative) : null;

        var memoryDir = Dir("memory");
        if (memoryDir is null || !Directory.Exists(memoryDir)) return null;
        var memory = CgroupFiles.KeyValues(Path.Combine(memoryDir, "memory.stat"));
        var usage = CgroupFiles.ReadNumber(Path.Combine(memoryDir, "memory.usage_in_bytes"));
        var limit = CgroupFiles.TryReadNumber(Path.Combine(memoryDir, "memory.limit_in_bytes"));

        var cpuDir = Dir("cpu");
        var cpuacctDir = Dir("cpuacct");
        var usageNanos = cpuacctDir is null ? 0 : CgroupFiles.ReadNumber(Path.Combine(cpuacctDir, "cpuacct.usage"));
        var throttledNanos = cpuDir is null ? 0 : CgroupFiles.KeyValues(Path.Combine(cpuDir, "cpu.stat")).GetValueOrDefault("throttled_time");
        double? cores = null;
        // cfs_quota_us is -1 when unlimited, which reads as absent.
        if (cpuDir is not null && CgroupFiles.TryReadNumber(Path.Combine(cpuDir, "cpu.cfs_quota_us")) is > 0 and var quota &&
            CgroupFiles.TryReadNumber(Path.Combine(cpuDir, "cpu.cfs_period_us")) is > 0 and var period)
            cores = (double)quota / period;

        return new CgroupStats(
            usageNanos / 1e9,
            throttledNanos / 1e9,
            (long)usage,
            WorkingSet(usage, memory.GetValueOrDefault("total_inactive_file")),
            (long)memory.GetValueOrDefault("total_rss"),
            limit is null or >= V1Unlimited ? null : (long)limit,
            cores);
    }

    private static double? CpuMaxCores(string file)
    {
        if (!File.Exists(file)) return null;
        var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[0] == "max") return null;
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static long WorkingSet(ulong usage, ulong inactiveFile) => usage > inactiveFile ? (long)(usage - inactiveFile) : 0;
}
