using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using WasmKube.Shim.Native;

namespace WasmKube.Shim.Containment;

/// <summary>
/// <c>containerd-shim-wasmkube-v1 contain</c>: the init stage of a wasm container. Spawned by the shim daemon
/// (<see cref="ContainedSpawner"/>) already in the container's PID namespace, it joins the cgroup and the other
/// namespaces, builds the container's mount tree and pivots into the rootfs, sets the process's user, capabilities,
/// no_new_privs and seccomp filter as runc's init would for the same spec, and execs the executor. A failure is
/// written to <see cref="ContainedSpawner.ErrorFd"/> (the daemon fails the task's Create with it); success closes that
/// pipe through O_CLOEXEC.
/// </summary>
internal static unsafe class ContainerInit
{
    public const string Command = "contain";

    private const ulong MS_RDONLY = 1;
    private const ulong MS_NODEV = 4;
    private const ulong MS_REMOUNT = 32;
    private const ulong MS_BIND = 4096;
    private const ulong MS_REC = 16384;
    private const int MNT_DETACH = 2;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;

    public static int Run()
    {
        Sys.fcntl(ContainedSpawner.ErrorFd, Sys.F_SETFD, Sys.FD_CLOEXEC);
        try
        {
            ContainmentPlan plan;
            using (var stream = new FileStream(new SafeFileHandle(ContainedSpawner.PlanFd, ownsHandle: true), FileAccess.Read))
            {
                plan = ContainmentPlan.Read(stream);
            }

            Contain(plan);
            Exec(plan);
            return 0;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the shim must hear it: it fails the task's Create with this message.
            var bytes = Encoding.UTF8.GetBytes(e.Message);
            fixed (byte* p = bytes)
            {
                Sys.write(ContainedSpawner.ErrorFd, p, bytes.Length);
            }

            return 125;
        }
    }

    private static void Contain(ContainmentPlan plan)
    {
        foreach (var procs in plan.CgroupProcs) WriteFile(procs, "0");
        if (plan.OomScoreAdj is { } oom) WriteFile("/proc/self/oom_score_adj", oom.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var lastCap = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (plan.ApparmorProfile is { Length: > 0 } profile) ChangeApparmorProfileOnExec(profile);

        EnterNamespaces(plan);
        if (plan.Rootfs is { } rootfs) BuildMountTree(plan, rootfs);
        else Sys.Check(Sys.chdir("/"), "chdir / in the container's mount namespace");

        if (plan.Hostname is { Length: > 0 } hostname) Sys.Check(Sys.sethostname(hostname, Encoding.UTF8.GetByteCount(hostname)), "sethostname");
        var values = stackalloc ulong[2];
        foreach (var limit in plan.Rlimits)
        {
            values[0] = limit.Soft;
            values[1] = limit.Hard;
            Sys.Check(Sys.setrlimit(limit.Resource, values), $"setrlimit {limit.Resource}");
        }

        PassGuestRoot();
        var seccomp = plan.Seccomp is { } json ? SeccompProgram.Compile(System.Text.Json.Nodes.JsonNode.Parse(json)!) : null;
        if (seccomp is not null && !plan.NoNewPrivileges) seccomp.Install();
        SetCredentials(plan, lastCap);
        if (plan.NoNewPrivileges) Sys.Check(Libc.prctl(Sys.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
        if (seccomp is not null && plan.NoNewPrivileges) seccomp.Install();
    }

    private static void EnterNamespaces(ContainmentPlan plan)
    {
        // Open every namespace first: once in the container's mount namespace, the host's /proc is gone.
        var joins = plan.Join.Select(j => (j.Type, Fd: Sys.Check(Sys.open(j.Path, Sys.O_RDONLY | Sys.O_CLOEXEC, 0), $"open namespace {j.Path}"))).ToList();
        if (joins.Any(j => j.Type == "mount"))
        {
            // setns into a mount namespace needs a filesystem context of our own (the runtime's threads share it).
            Sys.Check(Sys.unshare(Sys.CLONE_FS), "unshare(CLONE_FS)");
        }

        foreach (var (type, fd) in joins)
        {
            Sys.Check(Sys.setns(fd, Flag(type)), $"setns into the {type} namespace");
            Sys.close(fd);
        }

        var create = plan.Create.Aggregate(0, (flags, type) => flags | Flag(type));
        if (create != 0) Sys.Check(Sys.unshare(create), $"unshare {string.Join(", ", plan.Create)} namespaces");
    }

    private static int Flag(string type) => type switch
    {
        "mount" => Sys.CLONE_NEWNS,
        "network" => Sys.CLONE_NEWNET,
        "ipc" => Sys.CLONE_NEWIPC,
        "uts" => Sys.CLONE_NEWUTS,
        "cgroup" => Sys.CLONE_NEWCGROUP,
        _ => throw new ContainmentException($"the {type} namespace cannot be entered by the wasmkube shim"),
    };

    /// <summary>
    /// The spec's mounts on a private bind of the rootfs, devices, then pivot_root into it (runc's order:
    /// libcontainer/rootfs_linux.go), masked and read-only paths, and a read-only root last.
    /// </summary>
    private static void BuildMountTree(ContainmentPlan plan, string rootfs)
    {
        Sys.Check(Libc.mount(null, "/", null, plan.RootPropagation, null), "make the mount tree private to the container");
        Sys.Check(Libc.mount(rootfs, rootfs, null, MS_BIND | MS_REC, null), $"bind the rootfs {rootfs}");
        if (plan.RootNodev) Sys.Check(Libc.mount(null, rootfs, null, MS_BIND | MS_REMOUNT | MS_NODEV, null), "remount the rootfs nodev");
        var root = Sys.Check(Sys.open(rootfs, Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0), $"open the rootfs {rootfs}");
        foreach (var mount in plan.Mounts) Mount(root, mount);
        foreach (var device in plan.Devices) MakeDevice(root, device);
        Sys.close(root);

        Sys.Check(Sys.chdir(rootfs), "chdir into the rootfs");
        Sys.Check(Sys.PivotRoot(".", "."), "pivot_root into the rootfs");
        Sys.Check(Libc.umount2(".", MNT_DETACH), "detach the host's mount tree");
        Sys.Check(Sys.chdir("/"), "chdir /");

        foreach (var path in plan.MaskedPaths)
        {
            if (!Path.Exists(path)) continue;
            if (Directory.Exists(path)) Sys.Check(Libc.mount("tmpfs", path, "tmpfs", MS_RDONLY, null), $"mask {path}");
            else Sys.Check(Libc.mount("/dev/null", path, null, MS_BIND, null), $"mask {path}");
        }

        foreach (var path in plan.ReadonlyPaths)
        {
            if (!Path.Exists(path)) continue;
            Sys.Check(Libc.mount(path, path, null, MS_BIND | MS_REC, null), $"bind {path} read-only");
            Sys.Check(Libc.mount(path, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, null), $"remount {path} read-only");
        }

        if (plan.RootReadonly) Sys.Check(Libc.mount(null, "/", null, MS_BIND | MS_REMOUNT | MS_RDONLY, null), "remount the root read-only");
    }

    private static void Mount(int root, PlannedMount mount)
    {
        var what = $"mount {mount.Type ?? "bind"} {mount.Source} on {mount.Destination}";
        var target = OpenInRoot(root, mount.Destination, create: true, mount.FileTarget, what);
        try
        {
            Sys.Check(Libc.mount(mount.Source, $"/proc/self/fd/{target}", mount.Type, mount.Flags, mount.Data), what);
        }
        finally
        {
            Sys.close(target);
        }

        if (mount.Remount == 0 && mount.Propagation == 0) return;

        // The descriptor names the mount point beneath the new mount: look the path up again to reach the mount itself.
        var mounted = OpenInRoot(root, mount.Destination, create: false, mount.FileTarget, what);
        try
        {
            var path = $"/proc/self/fd/{mounted}";
            if (mount.Remount != 0) Sys.Check(Libc.mount(null, path, null, MS_BIND | MS_REMOUNT | mount.Remount, null), $"{what} (remount {mount.Remount:x})");
            if (mount.Propagation != 0) Sys.Check(Libc.mount(null, path, null, mount.Propagation, null), $"{what} (propagation)");
        }
        finally
        {
            Sys.close(mounted);
        }
    }

    private static void MakeDevice(int root, PlannedDevice device)
    {
        var what = $"create device {device.Path}";
        var parent = OpenInRoot(root, Path.GetDirectoryName(device.Path) ?? "/", create: true, file: false, what);
        try
        {
            var name = Path.GetFileName(device.Path);
            var type = device.Type switch { 'b' => 0x6000u, 'p' => 0x1000u, _ => 0x2000u };
            if (Sys.mknodat(parent, name, type | (device.Mode & 0xfff), MakeDev(device.Major, device.Minor)) < 0 && Sys.Errno != Sys.EEXIST)
            {
                throw new ContainmentException($"{what}: {Sys.Describe(Sys.Errno)}");
            }

            Sys.Check(Sys.fchownat(parent, name, device.Uid, device.Gid, AT_SYMLINK_NOFOLLOW), $"chown device {device.Path}");
        }
        finally
        {
            Sys.close(parent);
        }
    }

    /// <summary>glibc's makedev.</summary>
    private static ulong MakeDev(long major, long minor) =>
        (((ulong)major & 0xfffff000) << 32) | (((ulong)major & 0xfff) << 8) | (((ulong)minor & 0xffffff00) << 12) | ((ulong)minor & 0xff);

    /// <summary>
    /// Opens <paramref name="path"/> inside the rootfs, resolving symlinks as if the rootfs were /, so an image cannot
    /// point a mount outside itself; missing components are created (the last as a file for a file bind).
    /// </summary>
    private static int OpenInRoot(int root, string path, bool create, bool file, string what)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return Sys.Check(Sys.openat(root, ".", Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0), $"{what}: open the rootfs");
        for (var i = 1; ; i++)
        {
            var prefix = string.Join('/', parts, 0, i);
            var fd = OpenBeneath(root, prefix);
            if (fd < 0)
            {
                var errno = Sys.Errno;
                if (errno != Sys.ENOENT || !create) throw new ContainmentException($"{what}: {prefix}: {Sys.Describe(errno)}");
                CreateComponent(root, parts, i, file && i == parts.Length, what);
                fd = Sys.Check(OpenBeneath(root, prefix), $"{what}: open {prefix}");
            }

            if (i == parts.Length) return fd;
            Sys.close(fd);
        }
    }

    private static void CreateComponent(int root, string[] parts, int count, bool file, string what)
    {
        var prefix = string.Join('/', parts, 0, count);
        var parent = Sys.Check(count == 1
            ? Sys.openat(root, ".", Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0)
            : OpenBeneath(root, string.Join('/', parts, 0, count - 1)), $"{what}: open the parent of {prefix}");
        try
        {
            if (file)
            {
                var created = Sys.openat(parent, parts[count - 1], Sys.O_CREAT | Sys.O_WRONLY | Sys.O_NOFOLLOW | Sys.O_CLOEXEC, 420);
                Sys.Check(created, $"{what}: create {prefix}");
                Sys.close(created);
            }
            else if (Sys.mkdirat(parent, parts[count - 1], 493) < 0 && Sys.Errno != Sys.EEXIST)
            {
                throw new ContainmentException($"{what}: mkdir {prefix}: {Sys.Describe(Sys.Errno)}");
            }
        }
        finally
        {
            Sys.close(parent);
        }
    }

    /// <summary>openat2 with RESOLVE_IN_ROOT; before Linux 5.6, a walk that refuses symlinks instead of resolving them.</summary>
    private static int OpenBeneath(int root, string relative)
    {
        var fd = Sys.Openat2(root, relative, Sys.O_PATH | Sys.O_CLOEXEC, Sys.RESOLVE_IN_ROOT | Sys.RESOLVE_NO_MAGICLINKS);
        if (fd >= 0 || Sys.Errno != Sys.ENOSYS) return fd;
        var current = Sys.openat(root, ".", Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length && current >= 0; i++)
        {
            var last = i == parts.Length - 1;
            var next = Sys.openat(current, parts[i], Sys.O_PATH | Sys.O_NOFOLLOW | Sys.O_CLOEXEC | (last ? 0 : Sys.O_DIRECTORY), 0);
            var errno = Sys.Errno;
            Sys.close(current);
            current = next;
            if (next < 0) Marshal.SetLastPInvokeError(errno);
        }

        return current;
    }

    /// <summary>
    /// The guest's "/" is the rootfs alone: a detached clone of the root mount without the mounts beneath it
    /// (/proc, /dev, volumes, the executor), handed to the executor as <see cref="ContainedSpawner.GuestRootFd"/>.
    /// Kernels before 5.2 have no open_tree; the guest then sees the container's root as its process does.
    /// </summary>
    private static void PassGuestRoot()
    {
        var fd = Sys.OpenTreeClone("/");
        if (fd < 0 && Sys.Errno == Sys.ENOSYS) fd = Sys.open("/", Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        Sys.Check(fd, "clone the root mount for the guest");
        Sys.Check(Sys.dup2(fd, ContainedSpawner.GuestRootFd), "pass the guest's root");
        Sys.close(fd);
    }

    /// <summary>runc's order (libcontainer/init_linux.go finalizeNamespace): bounding set, ids, then capability sets.</summary>
    private static void SetCredentials(ContainmentPlan plan, int lastCap)
    {
        for (var cap = 0; cap <= lastCap && cap < 64; cap++)
        {
            if ((plan.CapBounding & (1UL << cap)) == 0) Sys.Check(Libc.prctl(Sys.PR_CAPBSET_DROP, (ulong)cap, 0, 0, 0), $"drop capability {cap} from the bounding set");
        }

        Sys.Check(Libc.prctl(Sys.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        var groups = plan.AdditionalGids.ToArray();
        fixed (uint* g = groups)
        {
            Sys.Check(Sys.setgroups(groups.Length, g), "setgroups");
        }

        Sys.Check(Sys.setresgid(plan.Gid, plan.Gid, plan.Gid), $"setresgid {plan.Gid}");
        Sys.Check(Sys.setresuid(plan.Uid, plan.Uid, plan.Uid), $"setresuid {plan.Uid}");
        Sys.Check(Libc.prctl(Sys.PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");

        var header = stackalloc uint[2] { 0x20080522, 0 };
        var data = stackalloc uint[6]
        {
            (uint)plan.CapEffective, (uint)plan.CapPermitted, (uint)plan.CapInheritable,
            (uint)(plan.CapEffective >> 32), (uint)(plan.CapPermitted >> 32), (uint)(plan.CapInheritable >> 32),
        };
        Sys.Check(Sys.capset(header, data), "capset");
        for (var cap = 0; cap <= lastCap && cap < 64; cap++)
        {
            if ((plan.CapAmbient & (1UL << cap)) != 0) Sys.Check(Libc.prctl(Sys.PR_CAP_AMBIENT, Sys.PR_CAP_AMBIENT_RAISE, (ulong)cap, 0, 0), $"raise ambient capability {cap}");
        }

        if (plan.Umask is { } mask) Sys.umask(mask);
    }

    /// <summary>Applies on the next exec, like runc's apparmor.ApplyProfile; only where AppArmor is enabled.</summary>
    private static void ChangeApparmorProfileOnExec(string profile)
    {
        var enabled = "/sys/module/apparmor/parameters/enabled";
        if (!File.Exists(enabled) || !File.ReadAllText(enabled).StartsWith('Y')) return;
        var attr = Directory.Exists("/proc/self/attr/apparmor") ? "/proc/self/attr/apparmor/exec" : "/proc/self/attr/exec";
        WriteFile(attr, "exec " + profile);
    }

    private static void WriteFile(string path, string text)
    {
        var fd = Sys.Check(Sys.open(path, Sys.O_WRONLY | Sys.O_CLOEXEC, 0), $"open {path}");
        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            fixed (byte* p = bytes)
            {
                Sys.Check(Sys.write(fd, p, bytes.Length), $"write {path}");
            }
        }
        finally
        {
            Sys.close(fd);
        }
    }

    private static void Exec(ContainmentPlan plan)
    {
        using var path = new NativeStrings([plan.Executable]);
        using var argv = new NativeStrings(plan.Argv);
        using var env = new NativeStrings(plan.Env);
        Sys.execve(path.Pointers[0], argv.Pointers, env.Pointers);
        throw new ContainmentException($"exec {plan.Executable} in the container: {Sys.Describe(Sys.Errno)}");
    }
}
