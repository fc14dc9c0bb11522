using System.Security.Cryptography;
using System.Text;
using WasmKube.Contracts;

namespace WasmKube.Shim.Bootstrap;

/// <summary>Paths derived from containerd's flags, so start, the daemon and delete agree without shared state.</summary>
public static class ShimPaths
{
    /// <summary>containerd's shim socket convention (runtime/v2/shim/util_unix.go SocketAddress): /run/containerd/s/sha256(address/ns/group).</summary>
    public static string Socket(string address, string ns, string group)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{address}/{ns}/{group}")));
        return Path.Combine(SocketDirectory, hash);
    }

    public static string SocketDirectory => Environment.GetEnvironmentVariable("WASMKUBE_SHIM_SOCKET_DIR") is { Length: > 0 } dir ? dir : "/run/containerd/s";

    /// <summary>runc state of this containerd's native containers, apart from other containerd instances on the node.</summary>
    public static string RuncRoot(string address, string ns)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)))[..12];
        return Path.Combine("/run/wasmkube/runc", hash, ns);
    }

    /// <summary>The executor program of each engine (<see cref="Engines"/>).</summary>
    public static IReadOnlyDictionary<string, string> Executors() =>
        Engines.ExecutorPrograms.ToDictionary(p => p.Key, p => Executor(p.Value));

    /// <summary>
    /// An executor program by its path in the node payload (<see cref="Engines.ExecutorPrograms"/>):
    /// $WASMKUBE_EXECUTOR for wasmkube-executor ($WASMKUBE_EXECUTOR_CIL for wasmkube-executor-cil), else beside the
    /// shim (its real directory, the directory it was started from through a symlink, or a sibling publish folder),
    /// else on PATH.
    /// </summary>
    public static string Executor(string payloadPath)
    {
        var name = Path.GetFileName(payloadPath);
        if (Environment.GetEnvironmentVariable(name.ToUpperInvariant().Replace('-', '_')) is { Length: > 0 } configured)
        {
            return configured;
        }

        var baseDirectory = AppContext.BaseDirectory;
        var candidates = new List<string> { Path.Combine(baseDirectory, payloadPath) };
        if (InvokedDirectory() is { } invoked)
        {
            candidates.Add(Path.Combine(invoked, payloadPath));
        }

        candidates.Add(Path.Combine(baseDirectory, "..", name, name));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)));
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    /// <summary>The directory of argv[0] as exec'd (a symlink such as /opt/wasmkube/bin/containerd-shim-wasmkube-v1).</summary>
    private static string? InvokedDirectory()
    {
        try
        {
            var argv0 = File.ReadAllText("/proc/self/cmdline").Split('\0')[0];
            return argv0.Contains('/') ? Path.GetDirectoryName(Path.GetFullPath(argv0)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The payload's C runtime for contained executors: sysroot/ beside the shim, else beside the executor or its parent
    /// (the wasmkube engine's executor lives in cil/).
    /// </summary>
    public static string Sysroot(string executor)
    {
        var executorDirectory = Path.GetDirectoryName(Path.GetFullPath(executor))!;
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "sysroot"),
            Path.Combine(executorDirectory, "sysroot"),
            Path.Combine(executorDirectory, "..", "sysroot"),
        ];
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }

    /// <summary>WASMKUBE_CONTAINMENT=off runs executors uncontained: only to measure what containment costs.</summary>
    public static bool Containment() => Environment.GetEnvironmentVariable("WASMKUBE_CONTAINMENT") != "off";

    public static string? CacheDirectory() =>
        Environment.GetEnvironmentVariable("WASMKUBE_CACHE_DIR") is { Length: > 0 } dir ? dir : "/var/cache/wasmkube/modules";
}
