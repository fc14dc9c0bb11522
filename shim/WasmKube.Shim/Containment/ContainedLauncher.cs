using Microsoft.Win32.SafeHandles;
using WasmKube.Contracts;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Containment;

/// <summary>
/// Starts an executor inside its container: rewrites its configuration from host paths to what the contained process
/// can reach (the module and volumes at their container paths, the guest's root, start FIFO, cache and memory-usage
/// file through inherited descriptors, statistics through a pipe the shim reads), then spawns the init stage with the
/// plan.
/// </summary>
internal static class ContainedLauncher
{
    /// <summary>Returns the executor's pid.</summary>
    /// <exception cref="ContainmentException">The container could not be set up; the message names the step.</exception>
    public static int Launch(ExecutorConfig config, string rootfs, ContainmentPlan plan, PidNamespace pid, string workDirectory, string name, Stdio stdio)
    {
        var opened = new List<SafeFileHandle>();
        try
        {
            int Open(string path, FileMode mode, FileAccess access)
            {
                var handle = File.OpenHandle(path, mode, access, FileShare.ReadWrite);
                opened.Add(handle);
                return (int)handle.DangerousGetHandle();
            }

            int OpenDirectory(string path)
            {
                var fd = Sys.Check(Sys.open(path, Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0), $"open {path}");
                opened.Add(new SafeFileHandle(fd, ownsHandle: true));
                return fd;
            }

            var start = config.StartFifo is { } fifo ? Open(Owned(fifo, plan), FileMode.Open, FileAccess.ReadWrite) : -1;
            var cache = config.CacheDirectory is { } cacheDirectory && TryCreate(cacheDirectory) ? OpenDirectory(cacheDirectory) : -1;
            var stats = config.EngineStatsFile is { } statsFile ? EngineStatsRelay.Start(statsFile) : null;
            if (stats is not null) opened.Add(stats);
            var memory = config.MemoryUsageFile is { } usage && File.Exists(usage) ? Open(usage, FileMode.Open, FileAccess.Read) : -1;
            var contained = config with
            {
                ModulePath = InContainer(rootfs, config.ModulePath),
                Preopens = [.. config.Preopens.Select(p => p with { HostPath = p.HostPath == rootfs ? ExecutorFds.Path(ExecutorFds.GuestRoot) : p.GuestPath })],
                StartFifo = start >= 0 ? ExecutorFds.Path(ExecutorFds.StartFifo) : null,
                CacheDirectory = cache >= 0 ? ExecutorFds.Path(ExecutorFds.CacheDirectory) : null,
                EngineStatsFile = null,
                EngineStatsFd = stats is null ? null : ExecutorFds.EngineStatsPipe,
                MemoryUsageFile = memory >= 0 ? ExecutorFds.Path(ExecutorFds.MemoryUsage) : null,
                ReleaseBeforeStart = [ExecutorFds.Config, ExecutorFds.CacheDirectory],
            };
            var configFile = Path.Combine(workDirectory, $"{name}.executor.json");
            contained.Save(configFile);
            var configFd = Open(Owned(configFile, plan), FileMode.Open, FileAccess.Read);
            var planFile = Path.Combine(workDirectory, $"{name}.containment.json");
            plan.Save(planFile);
            try
            {
                return ContainedSpawner.Spawn(Environment.ProcessPath!, planFile, stdio, pid,
                    [configFd, start, cache, stats is null ? -1 : (int)stats.DangerousGetHandle(), memory], plan.Env);
            }
            finally
            {
                File.Delete(planFile);
            }
        }
        finally
        {
            foreach (var handle in opened) handle.Dispose();
        }
    }

    private static string InContainer(string rootfs, string hostPath) =>
        hostPath.Length == 0 ? "" : "/" + Path.GetRelativePath(rootfs, hostPath);

    /// <summary>The executor reopens these through /proc/self/fd, which checks the file's owner: give them to its user.</summary>
    private static string Owned(string path, ContainmentPlan plan)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Sys.Check(Chown(path, plan.Uid, plan.Gid), $"chown {path}");
        return path;
    }

    private static bool TryCreate(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int Chown(string path, uint uid, uint gid) => Sys.fchownat(Sys.AT_FDCWD, path, uid, gid, 0);
}
