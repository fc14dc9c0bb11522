namespace WasmKube.Cgroups;

/// <summary>
/// Where this machine mounts its cgroups, read from /proc/self/mountinfo (never fixed paths): v1 controllers
/// (one per mount or co-mounted like cpu,cpuacct) and the cgroup2 mount, at /sys/fs/cgroup on pure v2 hosts or
/// beside the v1 mounts (e.g. /sys/fs/cgroup/unified) on hybrid ones.
/// </summary>
public sealed record CgroupHierarchy(IReadOnlyDictionary<string, string> V1Controllers, string? Unified)
{
    /// <summary>True when resource controllers live in cgroup v1 (memory is the one CRI and kubelet look at).</summary>
    public bool IsV1 => V1Controllers.ContainsKey("memory");

    public static CgroupHierarchy Discover(string mountinfo = "/proc/self/mountinfo")
    {
        var controllers = new Dictionary<string, string>();
        string? unified = null;
        foreach (var line in File.ReadLines(mountinfo))
        {
            // "<id> <parent> <major:minor> <root> <mount point> <options> [optional...] - <fstype> <source> <super options>"
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var fields = line[..separator].Split(' ');
            var tail = line[(separator + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3)
            {
                continue;
            }

            var mountPoint = Unescape(fields[4]);
            if (tail[0] == "cgroup2")
            {
                unified ??= mountPoint;
            }
            else if (tail[0] == "cgroup")
            {
                foreach (var option in tail[2].Split(','))
                {
                    if (option is not ("rw" or "ro") && !option.StartsWith("name=", StringComparison.Ordinal) && !option.Contains('='))
                    {
                        controllers.TryAdd(option, mountPoint);
                    }
                }
            }
        }

        return new CgroupHierarchy(controllers, unified);
    }

    /// <summary>
    /// The cgroup a spec's linux.cgroupsPath names, relative to a hierarchy root. Systemd form "slice:prefix:name"
    /// becomes slice path + "prefix-name.scope" (as runc's systemd driver names it); cgroupfs paths are used as given.
    /// </summary>
    public static string RelativePath(string cgroupsPath, string ns, string id)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
        {
            return $"{ns}/{id}";
        }

        var parts = cgroupsPath.Split(':');
        if (parts.Length == 3 && !cgroupsPath.StartsWith('/'))
        {
            var unit = parts[1].Length == 0 ? parts[2] : $"{parts[1]}-{parts[2]}";
            if (!unit.EndsWith(".slice", StringComparison.Ordinal))
            {
                unit += ".scope";
            }

            return Path.Combine(ExpandSlice(parts[0].Length == 0 ? "system.slice" : parts[0]), unit);
        }

        return cgroupsPath.TrimStart('/');
    }

    /// <summary>"a-b-c.slice" lives at "a.slice/a-b.slice/a-b-c.slice" (systemd.slice(5)).</summary>
    internal static string ExpandSlice(string slice)
    {
        if (slice == "-.slice")
        {
            return "";
        }

        var name = slice.EndsWith(".slice", StringComparison.Ordinal) ? slice[..^6] : slice;
        var segments = name.Split('-');
        var path = new List<string>();
        for (var i = 1; i <= segments.Length; i++)
        {
            path.Add(string.Join('-', segments[..i]) + ".slice");
        }

        return string.Join('/', path);
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);
}
