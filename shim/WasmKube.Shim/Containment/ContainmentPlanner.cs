using System.Text.Json.Nodes;
using WasmKube.Shim.Oci;

namespace WasmKube.Shim.Containment;

/// <summary>
/// Reads an OCI spec the way runc does (runtime-spec config.md and config-linux.md) and turns it into the
/// <see cref="ContainmentPlan"/> of a wasm executor: the spec's namespaces, mounts, devices, masked and read-only
/// paths, user, capabilities, no_new_privs, seccomp, rlimits and AppArmor profile, plus read-only binds of the
/// executor's folder at <see cref="ExecutorMountPoint"/> and of the payload's C runtime (sysroot/) at its usual paths.
/// </summary>
internal static class ContainmentPlanner
{
    public const string ExecutorMountPoint = "/.wasmkube";

    private const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16, MS_MANDLOCK = 64,
        MS_DIRSYNC = 128, MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096, MS_REC = 16384, MS_UNBINDABLE = 1 << 17,
        MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;

    /// <summary>The devices runc creates in every container (libcontainer/specconv AllowedDevices).</summary>
    private static readonly PlannedDevice[] DefaultDevices =
    [
        new("/dev/null", 'c', 1, 3, 438, 0, 0),
        new("/dev/zero", 'c', 1, 5, 438, 0, 0),
        new("/dev/full", 'c', 1, 7, 438, 0, 0),
        new("/dev/random", 'c', 1, 8, 438, 0, 0),
        new("/dev/urandom", 'c', 1, 9, 438, 0, 0),
        new("/dev/tty", 'c', 5, 0, 438, 0, 0),
    ];

    /// <summary>Linux capability numbers (include/uapi/linux/capability.h).</summary>
    private static readonly string[] CapabilityNames =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    private static readonly string[] RlimitNames =
    [
        "CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC", "NOFILE", "MEMLOCK", "AS", "LOCKS", "SIGPENDING",
        "MSGQUEUE", "NICE", "RTPRIO", "RTTIME",
    ];

    /// <summary>The plan of a container's init process: its own mount tree on <paramref name="rootfs"/>.</summary>
    /// <param name="deviceCgroup">
    /// Whether the cgroup enforces the spec's device rules (cgroup v1 here; v2 needs an eBPF program the shim does not
    /// load yet). Without it the executor gets no CAP_MKNOD and the image's own device nodes cannot be opened.
    /// </param>
    public static (ContainmentPlan Plan, PidNamespace Pid) ForInit(OciSpec spec, string rootfs, IReadOnlyList<string> cgroupProcs,
        string executor, string sysroot, IReadOnlyList<string> environment, bool deviceCgroup)
    {
        var join = new List<NamespaceJoin>();
        var create = new List<string> { "mount" };
        var pid = PidNamespace.Host;
        foreach (var ns in spec.Namespaces)
        {
            switch (ns.Type)
            {
                case "pid":
                    pid = string.IsNullOrEmpty(ns.Path) ? new PidNamespace(true, null) : new PidNamespace(false, ns.Path);
                    break;
                case "user":
                    throw new ContainmentException("the spec asks for a user namespace; the wasmkube shim does not support user namespaces (set hostUsers: true)");
                case "network" or "ipc" or "uts" or "cgroup" or "mount":
                    if (!string.IsNullOrEmpty(ns.Path))
                    {
                        join.Add(new NamespaceJoin(ns.Type, ns.Path));
                        create.Remove(ns.Type);
                    }
                    else if (!create.Contains(ns.Type))
                    {
                        create.Add(ns.Type);
                    }

                    break;
                default:
                    throw new ContainmentException($"the spec names the namespace type \"{ns.Type}\", which the wasmkube shim does not know");
            }
        }

        var linux = spec.Raw["linux"];
        var mounts = spec.Mounts.Select(Plan).ToList();
        mounts.Add(ReadOnlyBind(Path.GetDirectoryName(executor)!, ExecutorMountPoint));
        mounts.AddRange(SysrootBinds(sysroot));
        var plan = Credentials(spec.Process.Raw, executor, environment, deviceCgroup) with
        {
            CgroupProcs = cgroupProcs,
            Join = join,
            Create = create,
            Rootfs = rootfs,
            RootReadonly = spec.RootReadonly,
            RootNodev = !deviceCgroup,
            RootPropagation = Propagation((string?)linux?["rootfsPropagation"]) is var propagation and not 0 ? propagation : MS_SLAVE | MS_REC,
            Mounts = mounts,
            Devices = [.. DefaultDevices.Where(d => !Devices(linux).Any(s => s.Path == d.Path)), .. Devices(linux)],
            MaskedPaths = OciSpec.Strings(linux?["maskedPaths"]),
            ReadonlyPaths = OciSpec.Strings(linux?["readonlyPaths"]),
            Hostname = create.Contains("uts") ? (string?)spec.Raw["hostname"] : null,
            Seccomp = linux?["seccomp"]?.ToJsonString(),
        };
        return (plan, pid);
    }

    /// <summary>The plan of an exec: the namespaces of the container's init process, and the exec's own user and privileges.</summary>
    public static (ContainmentPlan Plan, PidNamespace Pid) ForExec(OciSpec spec, OciProcess process, int initPid, IReadOnlyList<string> cgroupProcs,
        string executor, IReadOnlyList<string> environment, bool deviceCgroup)
    {
        var join = new[] { ("mount", "mnt"), ("network", "net"), ("ipc", "ipc"), ("uts", "uts"), ("cgroup", "cgroup") }
            .Select(n => new NamespaceJoin(n.Item1, $"/proc/{initPid}/ns/{n.Item2}")).ToList();
        var plan = Credentials(process.Raw, executor, environment, deviceCgroup) with
        {
            CgroupProcs = cgroupProcs,
            Join = join,
            Seccomp = spec.Raw["linux"]?["seccomp"]?.ToJsonString(),
        };
        return (plan, new PidNamespace(false, $"/proc/{initPid}/ns/pid"));
    }

    /// <summary>What the process runs as: process.user, capabilities, noNewPrivileges, rlimits, oomScoreAdj, AppArmor.</summary>
    private static ContainmentPlan Credentials(JsonNode process, string executor, IReadOnlyList<string> environment, bool deviceCgroup)
    {
        var user = process["user"];
        var caps = process["capabilities"];
        var name = Path.GetFileName(executor);
        var mask = deviceCgroup ? ~0UL : ~(1UL << Array.IndexOf(CapabilityNames, "MKNOD"));
        return new ContainmentPlan
        {
            Uid = (uint?)user?["uid"] ?? 0,
            Gid = (uint?)user?["gid"] ?? 0,
            AdditionalGids = (user?["additionalGids"] as JsonArray ?? []).Select(g => (uint?)g ?? 0).ToList(),
            Umask = (uint?)user?["umask"],
            CapBounding = Capabilities(caps?["bounding"]) & mask,
            CapEffective = Capabilities(caps?["effective"]) & mask,
            CapPermitted = Capabilities(caps?["permitted"]) & mask,
            CapInheritable = Capabilities(caps?["inheritable"]) & mask,
            CapAmbient = Capabilities(caps?["ambient"]) & mask,
            NoNewPrivileges = (bool?)process["noNewPrivileges"] ?? false,
            Rlimits = (process["rlimits"] as JsonArray ?? []).Select(Rlimit).ToList(),
            OomScoreAdj = (int?)process["oomScoreAdj"],
            ApparmorProfile = (string?)process["apparmorProfile"],
            Executable = $"{ExecutorMountPoint}/{name}",
            Argv = [name, "--config", $"/proc/self/fd/{ExecutorFds.Config}"],
            Env = environment,
        };
    }

    private static ulong Capabilities(JsonNode? names)
    {
        ulong mask = 0;
        foreach (var name in OciSpec.Strings(names))
        {
            var index = Array.IndexOf(CapabilityNames, name.StartsWith("CAP_", StringComparison.Ordinal) ? name[4..] : name);
            if (index >= 0) mask |= 1UL << index;
        }

        return mask;
    }

    private static PlannedRlimit Rlimit(JsonNode? node)
    {
        var type = (string?)node?["type"] ?? "";
        var index = Array.IndexOf(RlimitNames, type.StartsWith("RLIMIT_", StringComparison.Ordinal) ? type[7..] : type);
        if (index < 0) throw new ContainmentException($"process.rlimits names \"{type}\", which is not a Linux resource limit (RLIMIT_NOFILE, RLIMIT_NPROC, …)");
        return new PlannedRlimit(index, (ulong?)node?["soft"] ?? 0, (ulong?)node?["hard"] ?? 0);
    }

    private static List<PlannedDevice> Devices(JsonNode? linux) =>
        (linux?["devices"] as JsonArray ?? []).Where(d => d is not null).Select(d => new PlannedDevice(
            (string?)d!["path"] ?? "",
            ((string?)d["type"] ?? "c") is { Length: > 0 } type ? type[0] : 'c',
            (long?)d["major"] ?? 0,
            (long?)d["minor"] ?? 0,
            (uint?)d["fileMode"] ?? 438,
            (uint?)d["uid"] ?? 0,
            (uint?)d["gid"] ?? 0)).Where(d => d.Path.Length > 0).ToList();

    /// <summary>
    /// An OCI mount as mount(2) flags (runc's parseMountOptions): a bind is made first and its options applied by a
    /// remount; a filesystem gets flags and the remaining options as data. Hosts on cgroup v1 get an empty read-only
    /// tmpfs for a cgroup mount: an executor never reads cgroupfs.
    /// </summary>
    internal static PlannedMount Plan(OciMount mount)
    {
        ulong flags = 0, propagation = 0;
        var data = new List<string>();
        foreach (var option in mount.Options)
        {
            switch (option)
            {
                case "bind": flags |= MS_BIND; break;
                case "rbind": flags |= MS_BIND | MS_REC; break;
                case "ro": flags |= MS_RDONLY; break;
                case "rw": flags &= ~MS_RDONLY; break;
                case "nosuid": flags |= MS_NOSUID; break;
                case "suid": flags &= ~MS_NOSUID; break;
                case "nodev": flags |= MS_NODEV; break;
                case "dev": flags &= ~MS_NODEV; break;
                case "noexec": flags |= MS_NOEXEC; break;
                case "exec": flags &= ~MS_NOEXEC; break;
                case "sync": flags |= MS_SYNCHRONOUS; break;
                case "async": flags &= ~MS_SYNCHRONOUS; break;
                case "dirsync": flags |= MS_DIRSYNC; break;
                case "mand": flags |= MS_MANDLOCK; break;
                case "nomand": flags &= ~MS_MANDLOCK; break;
                case "noatime": flags |= MS_NOATIME; break;
                case "atime": flags &= ~MS_NOATIME; break;
                case "nodiratime": flags |= MS_NODIRATIME; break;
                case "diratime": flags &= ~MS_NODIRATIME; break;
                case "relatime": flags |= MS_RELATIME; break;
                case "norelatime": flags &= ~MS_RELATIME; break;
                case "strictatime": flags |= MS_STRICTATIME; break;
                case "nostrictatime": flags &= ~MS_STRICTATIME; break;
                default:
                    if (Propagation(option) is var p and not 0) propagation |= p;
                    else data.Add(option);
                    break;
            }
        }

        if (mount.Type == "bind") flags |= MS_BIND;
        if ((flags & MS_BIND) != 0)
        {
            var remount = flags & ~(MS_BIND | MS_REC);
            return new PlannedMount(mount.Destination, null, mount.Source, flags & (MS_BIND | MS_REC), propagation, null,
                File.Exists(mount.Source), remount);
        }

        if (mount.Type == "cgroup" && !File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            return new PlannedMount(mount.Destination, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, "size=4k", false, 0);
        }

        var type = mount.Type == "cgroup" ? "cgroup2" : mount.Type;
        return new PlannedMount(mount.Destination, type, mount.Source, flags, propagation, data.Count > 0 ? string.Join(',', data) : null, false, 0);
    }

    private static ulong Propagation(string? option) => option switch
    {
        "private" => MS_PRIVATE,
        "rprivate" => MS_PRIVATE | MS_REC,
        "slave" => MS_SLAVE,
        "rslave" => MS_SLAVE | MS_REC,
        "shared" => MS_SHARED,
        "rshared" => MS_SHARED | MS_REC,
        "unbindable" => MS_UNBINDABLE,
        "runbindable" => MS_UNBINDABLE | MS_REC,
        _ => 0,
    };

    private static PlannedMount ReadOnlyBind(string source, string destination) =>
        new(destination, null, source, MS_BIND, 0, null, false, MS_RDONLY | MS_NOSUID | MS_NODEV);

    /// <summary>
    /// The dynamic loader and C libraries the executors link against, shipped in the payload's sysroot/ at their
    /// usual paths (lib64/ld-linux-x86-64.so.2, lib/x86_64-linux-gnu/…): each folder holding files is bound read-only
    /// at the same path in the container, so the executors run unchanged inside an image that has no libc.
    /// </summary>
    private static IEnumerable<PlannedMount> SysrootBinds(string sysroot)
    {
        if (!Directory.Exists(sysroot))
        {
            throw new ContainmentException($"the node payload has no C runtime for the executor at {sysroot}; reinstall the payload (./build.sh creates sysroot/)");
        }

        return Directory.EnumerateDirectories(sysroot, "*", SearchOption.AllDirectories)
            .Where(d => Directory.EnumerateFiles(d).Any())
            .Order(StringComparer.Ordinal)
            .Select(d => ReadOnlyBind(d, "/" + Path.GetRelativePath(sysroot, d)));
    }
}

/// <summary>The descriptors a contained executor gets, and where its configuration points.</summary>
internal static class ExecutorFds
{
    public const int GuestRoot = ContainedSpawner.GuestRootFd;
    public const int Config = ContainedSpawner.FirstPassedFd;
    public const int StartFifo = Config + 1;
    public const int CacheDirectory = Config + 2;
    public const int EngineStatsPipe = Config + 3;
    public const int MemoryUsage = Config + 4;

    public static string Path(int fd) => $"/proc/self/fd/{fd}";
}
