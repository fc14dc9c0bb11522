using WasmKube.Shim.Oci;

namespace WasmKube.Shim.Oci;

/// <summary>
/// Finds a process's program in the container's rootfs and tells wasm from native the way runwasi does: ELF
/// (7f 45 4c 46) or a script ("#!") runs under runc; anything else goes to the wasm executor, which accepts only
/// "\0asm" and otherwise fails with an error in the container's log.
/// </summary>
public sealed record Entrypoint(string Written, string? HostPath, bool IsNative)
{
    private const int MaxSymlinks = 40;

    public static Entrypoint Resolve(string rootfs, OciProcess process)
    {
        if (process.Args.Count == 0)
        {
            return new Entrypoint("", null, IsNative: true);
        }

        var written = process.Args[0];
        var hostPath = Find(rootfs, written, process);
        return new Entrypoint(written, hostPath, hostPath is not null && IsNativeExecutable(hostPath));
    }

    private static string? Find(string rootfs, string program, OciProcess process)
    {
        if (program.Contains('/'))
        {
            var inside = program.StartsWith('/') ? program : Path.Combine(process.Cwd, program);
            return InRootfs(rootfs, inside);
        }

        foreach (var directory in process.SearchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (InRootfs(rootfs, Path.Combine(directory, program)) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Host path of a file inside the rootfs, following symlinks as if the rootfs were "/".</summary>
    internal static string? InRootfs(string rootfs, string path)
    {
        var current = "/" + path.TrimStart('/');
        for (var hop = 0; hop < MaxSymlinks; hop++)
        {
            var host = Path.Combine(rootfs, current.TrimStart('/'));
            var info = new FileInfo(host);
            if (info.LinkTarget is { } target)
            {
                current = target.StartsWith('/') ? target : Path.Combine(Path.GetDirectoryName(current) ?? "/", target);
                current = Path.GetFullPath(current);
                continue;
            }

            return info.Exists ? host : null;
        }

        return null;
    }

    private static bool IsNativeExecutable(string hostPath)
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var file = File.OpenRead(hostPath);
            var read = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
            return (read >= 4 && magic[0] == 0x7f && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F') ||
                   (read >= 2 && magic[0] == (byte)'#' && magic[1] == (byte)'!');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
