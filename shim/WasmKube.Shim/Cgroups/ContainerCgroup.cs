using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WasmKube.Cgroups;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Protocol.Cgroups;

namespace WasmKube.Shim.Cgroups;

/// <summary>
/// One container's cgroup across the hierarchies: created with the spec's limits for wasm containers (runc does
/// its own for native ones), read for Stats, removed on delete.
/// </summary>
public sealed class ContainerCgroup(CgroupHierarchy hierarchy, string relativePath)
{
    /// <summary>v1 controllers a wasm container is placed in; cpuset is left alone (it needs cpus/mems copied down).</summary>
    private static readonly string[] V1Joined = ["cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer"];

    public string RelativePath { get; } = relativePath;

    public CgroupHierarchy Hierarchy { get; } = hierarchy;

    private string? V1(string controller) =>
        Hierarchy.V1Controllers.TryGetValue(controller, out var mount) ? Path.Combine(mount, RelativePath) : null;

    private string? V2 => Hierarchy.Unified is { } unified ? Path.Combine(unified, RelativePath) : null;

    /// <summary>The file holding the cgroup's current memory use.</summary>
    public string? MemoryUsageFile => Hierarchy.IsV1
        ? V1("memory") is { } mem ? Path.Combine(mem, "memory.usage_in_bytes") : null
        : V2 is { } v2 ? Path.Combine(v2, "memory.current") : null;

    /// <summary>Directories this container's processes are placed in.</summary>
    public IReadOnlyList<string> Directories =>
        (Hierarchy.IsV1 ? V1Joined.Select(V1).OfType<string>().Distinct() : []).Concat(V2 is { } v2 ? [v2] : []).ToList();

    /// <summary>Creates the directories and writes the limits; returns the cgroup.procs files to join.</summary>
    public IReadOnlyList<string> Create(OciResources resources)
    {
        if (!Hierarchy.IsV1 && Hierarchy.Unified is { } unified)
        {
            EnableV2Controllers(unified);
        }

        foreach (var directory in Directories)
        {
            Directory.CreateDirectory(directory);
        }

        Apply(resources);
        return Directories.Select(d => Path.Combine(d, "cgroup.procs")).ToList();
    }

    public void Apply(OciResources resources)
    {
        if (Hierarchy.IsV1)
        {
            if (resources.MemoryLimit is { } memory && V1("memory") is { } mem)
            {
                Write(mem, "memory.limit_in_bytes", memory);
            }

            if (V1("cpu") is { } cpu)
            {
                if (resources.CpuShares is { } shares)
                {
                    Write(cpu, "cpu.shares", (long)shares);
                }

                if (resources.CpuPeriod is { } period)
                {
                    Write(cpu, "cpu.cfs_period_us", (long)period);
                }

                if (resources.CpuQuota is { } quota)
                {
                    Write(cpu, "cpu.cfs_quota_us", quota);
                }
            }

            if (resources.PidsLimit is { } pids && V1("pids") is { } pidsDir)
            {
                Write(pidsDir, "pids.max", pids);
            }

            if (resources.Devices.Count > 0 && V1("devices") is { } devices)
            {
                ApplyDeviceRules(devices, resources.Devices);
            }
        }
        else if (V2 is { } v2)
        {
            if (resources.MemoryLimit is { } memory)
            {
                Write(v2, "memory.max", memory);
            }

            if (resources.CpuShares is { } shares)
            {
                // runc's conversion of cgroup v1 shares [2, 262144] to v2 weight [1, 10000].
                Write(v2, "cpu.weight", (long)(1 + ((Math.Clamp(shares, 2, 262144) - 2) * 9999 / 262142)));
            }

            if (resources.CpuQuota is { } quota)
            {
                File.WriteAllText(Path.Combine(v2, "cpu.max"), $"{quota} {resources.CpuPeriod ?? 100000}");
            }

            if (resources.PidsLimit is { } pids)
            {
                Write(v2, "pids.max", pids);
            }
        }
    }

    /// <summary>The metrics as CRI decodes them: a bare-URL Any of io.containerd.cgroups.v1/v2.Metrics.</summary>
    public Any ReadMetrics()
    {
        IMessage metrics;
        string typeUrl;
        if (Hierarchy.IsV1)
        {
            (metrics, typeUrl) = (ReadV1(), "io.containerd.cgroups.v1.Metrics");
        }
        else
        {
            (metrics, typeUrl) = (ReadV2(), "io.containerd.cgroups.v2.Metrics");
        }

        // Any.Pack would prefix "type.googleapis.com/", which containerd's typeurl registry does not know.
        return new Any { TypeUrl = typeUrl, Value = metrics.ToByteString() };
    }

    /// <summary>Kernel OOM kills seen in this cgroup so far.</summary>
    public long OomKills()
    {
        var file = Hierarchy.IsV1
            ? V1("memory") is { } mem ? Path.Combine(mem, "memory.oom_control") : null
            : V2 is { } v2 ? Path.Combine(v2, "memory.events") : null;
        return file is null ? 0 : (long)(CgroupFiles.KeyValues(file).GetValueOrDefault("oom_kill"));
    }

    /// <summary>Pids currently in the cgroup.</summary>
    public IReadOnlyList<int> Pids()
    {
        var dir = Hierarchy.IsV1 ? V1("pids") ?? V1("memory") : V2;
        var file = dir is null ? null : Path.Combine(dir, "cgroup.procs");
        if (file is null || !File.Exists(file))
        {
            return [];
        }

        return File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Removes the directories (leaves first); tolerates ones already gone.</summary>
    public void Delete()
    {
        foreach (var directory in Directories)
        {
            for (var attempt = 0; attempt < 250 && Directory.Exists(directory); attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    // Still busy for a moment after the last process exits; short waits keep `ctr run --rm` quick.
                    Thread.Sleep(2);
                }
            }
        }
    }

    private V1Metrics ReadV1()
    {
        var metrics = new V1Metrics();
        if (V1("cpuacct") is { } cpuacct && Directory.Exists(cpuacct))
        {
            var stat = CgroupFiles.KeyValues(Path.Combine(cpuacct, "cpuacct.stat"));
            var ticks = 10_000_000UL; // USER_HZ is 100: one tick is 10 ms.
            metrics.Cpu = new V1CpuStat
            {
                Usage = new V1CpuUsage
                {
                    Total = CgroupFiles.ReadNumber(Path.Combine(cpuacct, "cpuacct.usage")),
                    User = stat.GetValueOrDefault("user") * ticks,
                    Kernel = stat.GetValueOrDefault("system") * ticks,
                },
            };
        }

        if (V1("cpu") is { } cpu && File.Exists(Path.Combine(cpu, "cpu.stat")))
        {
            var stat = CgroupFiles.KeyValues(Path.Combine(cpu, "cpu.stat"));
            metrics.Cpu ??= new V1CpuStat();
            metrics.Cpu.Throttling = new V1Throttle
            {
                Periods = stat.GetValueOrDefault("nr_periods"),
                ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
                ThrottledTime = stat.GetValueOrDefault("throttled_time"),
            };
        }

        if (V1("memory") is { } mem && Directory.Exists(mem))
        {
            var stat = CgroupFiles.KeyValues(Path.Combine(mem, "memory.stat"));
            metrics.Memory = new V1MemoryStat
            {
                Cache = stat.GetValueOrDefault("cache"),
                Rss = stat.GetValueOrDefault("rss"),
                MappedFile = stat.GetValueOrDefault("mapped_file"),
                PgFault = stat.GetValueOrDefault("pgfault"),
                PgMajFault = stat.GetValueOrDefault("pgmajfault"),
                InactiveFile = stat.GetValueOrDefault("inactive_file"),
                ActiveFile = stat.GetValueOrDefault("active_file"),
                InactiveAnon = stat.GetValueOrDefault("inactive_anon"),
                ActiveAnon = stat.GetValueOrDefault("active_anon"),
                HierarchicalMemoryLimit = stat.GetValueOrDefault("hierarchical_memory_limit"),
                TotalCache = stat.GetValueOrDefault("total_cache"),
                TotalRss = stat.GetValueOrDefault("total_rss"),
                TotalMappedFile = stat.GetValueOrDefault("total_mapped_file"),
                TotalPgFault = stat.GetValueOrDefault("total_pgfault"),
                TotalPgMajFault = stat.GetValueOrDefault("total_pgmajfault"),
                TotalInactiveFile = stat.GetValueOrDefault("total_inactive_file"),
                TotalActiveFile = stat.GetValueOrDefault("total_active_file"),
                TotalInactiveAnon = stat.GetValueOrDefault("total_inactive_anon"),
                TotalActiveAnon = stat.GetValueOrDefault("total_active_anon"),
                Usage = new V1MemoryEntry
                {
                    Usage = CgroupFiles.ReadNumber(Path.Combine(mem, "memory.usage_in_bytes")),
                    Limit = CgroupFiles.ReadNumber(Path.Combine(mem, "memory.limit_in_bytes")),
                    Max = CgroupFiles.ReadNumber(Path.Combine(mem, "memory.max_usage_in_bytes")),
                    Failcnt = CgroupFiles.ReadNumber(Path.Combine(mem, "memory.failcnt")),
                },
            };
        }

        if (V1("pids") is { } pids && Directory.Exists(pids))
        {
            metrics.Pids = new V1PidsStat
            {
                Current = CgroupFiles.ReadNumber(Path.Combine(pids, "pids.current")),
                Limit = CgroupFiles.ReadNumber(Path.Combine(pids, "pids.max")),
            };
        }

        return metrics;
    }

    private V2Metrics ReadV2()
    {
        var metrics = new V2Metrics();
        if (V2 is not { } dir || !Directory.Exists(dir))
        {
            return metrics;
        }

        var cpu = CgroupFiles.KeyValues(Path.Combine(dir, "cpu.stat"));
        metrics.Cpu = new V2CpuStat
        {
            UsageUsec = cpu.GetValueOrDefault("usage_usec"),
            UserUsec = cpu.GetValueOrDefault("user_usec"),
            SystemUsec = cpu.GetValueOrDefault("system_usec"),
            NrPeriods = cpu.GetValueOrDefault("nr_periods"),
            NrThrottled = cpu.GetValueOrDefault("nr_throttled"),
            ThrottledUsec = cpu.GetValueOrDefault("throttled_usec"),
        };
        var memory = CgroupFiles.KeyValues(Path.Combine(dir, "memory.stat"));
        metrics.Memory = new V2MemoryStat
        {
            Anon = memory.GetValueOrDefault("anon"),
            File = memory.GetValueOrDefault("file"),
            KernelStack = memory.GetValueOrDefault("kernel_stack"),
            Slab = memory.GetValueOrDefault("slab"),
            Sock = memory.GetValueOrDefault("sock"),
            Shmem = memory.GetValueOrDefault("shmem"),
            FileMapped = memory.GetValueOrDefault("file_mapped"),
            InactiveAnon = memory.GetValueOrDefault("inactive_anon"),
            ActiveAnon = memory.GetValueOrDefault("active_anon"),
            InactiveFile = memory.GetValueOrDefault("inactive_file"),
            ActiveFile = memory.GetValueOrDefault("active_file"),
            Pgfault = memory.GetValueOrDefault("pgfault"),
            Pgmajfault = memory.GetValueOrDefault("pgmajfault"),
            Usage = CgroupFiles.ReadNumber(Path.Combine(dir, "memory.current")),
            UsageLimit = CgroupFiles.ReadNumber(Path.Combine(dir, "memory.max")),
        };
        var events = CgroupFiles.KeyValues(Path.Combine(dir, "memory.events"));
        metrics.MemoryEvents = new V2MemoryEvents
        {
            Low = events.GetValueOrDefault("low"),
            High = events.GetValueOrDefault("high"),
            Max = events.GetValueOrDefault("max"),
            Oom = events.GetValueOrDefault("oom"),
            OomKill = events.GetValueOrDefault("oom_kill"),
        };
        metrics.Pids = new V2PidsStat
        {
            Current = CgroupFiles.ReadNumber(Path.Combine(dir, "pids.current")),
            Limit = CgroupFiles.ReadNumber(Path.Combine(dir, "pids.max")),
        };
        return metrics;
    }

    /// <summary>
    /// A v2 child only gets the controllers its parent delegates: create each ancestor and enable cpu, memory, pids
    /// and io in its subtree_control (best effort: they may be enabled already, or bound to v1 on hybrid hosts).
    /// </summary>
    /// <summary>
    /// The devices runc allows in every container besides the spec's rules (libcontainer/specconv AllowedDevices):
    /// mknod of any device (opening it is what the cgroup guards), the standard character devices, ttys and ptys.
    /// </summary>
    private static readonly OciDeviceRule[] AlwaysAllowed =
    [
        new(true, "c", null, null, "m"), new(true, "b", null, null, "m"),
        new(true, "c", 1, 3, "rwm"), new(true, "c", 1, 5, "rwm"), new(true, "c", 1, 7, "rwm"), new(true, "c", 1, 8, "rwm"),
        new(true, "c", 1, 9, "rwm"), new(true, "c", 5, 0, "rwm"), new(true, "c", 5, 1, "rwm"), new(true, "c", 5, 2, "rwm"),
        new(true, "c", 136, null, "rwm"),
    ];

    /// <summary>
    /// cgroup v1 device rules, as runc applies them: the spec's in order, then the always-allowed ones. A container
    /// with CAP_MKNOD can create any device node; this is what keeps it from opening one (a host disk, say).
    /// </summary>
    private static void ApplyDeviceRules(string directory, IReadOnlyList<OciDeviceRule> rules)
    {
        foreach (var rule in rules.Concat(AlwaysAllowed))
        {
            File.WriteAllText(Path.Combine(directory, rule.Allow ? "devices.allow" : "devices.deny"), rule.ToV1());
        }
    }

    private void EnableV2Controllers(string unified)
    {
        var directory = unified;
        foreach (var segment in RelativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var controllersFile = Path.Combine(directory, "cgroup.controllers");
            if (File.Exists(controllersFile))
            {
                var wanted = File.ReadAllText(controllersFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(c => c is "cpu" or "memory" or "pids" or "io").Select(c => "+" + c).ToList();
                if (wanted.Count > 0)
                {
                    try
                    {
                        File.WriteAllText(Path.Combine(directory, "cgroup.subtree_control"), string.Join(' ', wanted));
                    }
                    catch (IOException)
                    {
                    }
                }
            }

            directory = Path.Combine(directory, segment);
            Directory.CreateDirectory(directory);
        }
    }

    private static void Write(string directory, string file, long value) =>
        File.WriteAllText(Path.Combine(directory, file), value.ToString(CultureInfo.InvariantCulture));
}
