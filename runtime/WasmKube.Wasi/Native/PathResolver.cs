using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Native;

/// <summary>
/// Resolves guest paths strictly beneath a directory fd. On Linux 5.6+ the kernel does it: openat2(2) with
/// RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS refuses "..", absolute paths and symlinks that leave the directory (EXDEV),
/// atomically, so renames racing with the lookup cannot move it outside. Where openat2 is missing (ENOSYS) the
/// fallback walks one component at a time with openat(O_PATH | O_NOFOLLOW), expanding symlinks itself; each step is
/// relative to an fd already proven to be inside, so a component swapped for a symlink is seen, not followed.
/// </summary>
internal sealed unsafe class PathResolver
{
    private const int MaxSymlinks = 40; // Linux's own limit (MAXSYMLINKS)

    private bool _useOpenat2;

    public PathResolver(bool useOpenat2 = true) => _useOpenat2 = useOpenat2 && OperatingSystem.IsLinux();

    /// <summary>True while resolution is done by openat2 in the kernel; false after falling back to the walk.</summary>
    public bool KernelEnforced => _useOpenat2;

    /// <summary>Opens <paramref name="path"/> beneath <paramref name="dirfd"/>; O_NOFOLLOW in flags keeps a final symlink unfollowed.</summary>
    public Errno Open(int dirfd, ReadOnlySpan<byte> path, int flags, uint mode, out int fd)
    {
        fd = -1;
        if (path.IsEmpty) return Errno.NoEnt;
        if (path.Contains((byte)0)) return Errno.Inval;
        if (path[0] == (byte)'/') return Errno.NotCapable;
        var cpath = Libc.CString(path);

        if (_useOpenat2)
        {
            var how = new Libc.OpenHow
            {
                Flags = (ulong)(uint)(flags | Libc.OCloExec),
                Mode = (flags & Libc.OCreat) != 0 ? mode : 0,
                Resolve = Libc.ResolveBeneath | Libc.ResolveNoMagicLinks,
            };
            for (var attempt = 0; ; attempt++)
            {
                fixed (byte* p = cpath)
                {
                    fd = Libc.Openat2(dirfd, p, &how);
                }

                if (fd >= 0) return Errno.Success;
                var error = Libc.LastError;
                // The kernel answers EAGAIN when a concurrent rename could have let ".." escape; asking again is safe.
                if (error == Libc.EAGAIN && attempt < 16) continue;
                if (error == Libc.ENOSYS)
                {
                    _useOpenat2 = false;
                    break;
                }

                return error == Libc.EXDEV ? Errno.NotCapable : ErrnoMap.FromLinux(error);
            }
        }

        return OpenByWalking(dirfd, path, flags, mode, out fd);
    }

    /// <summary>
    /// Resolves every component but the last and returns an fd of that directory (the caller closes it) and the last
    /// name, for the *at calls that act on a name (unlink, mkdir, rename, link, symlink, readlink, lstat).
    /// A path ending in "." or ".." resolves entirely and yields name "." so that no call ever sees a ".." name.
    /// </summary>
    public Errno OpenParent(int dirfd, ReadOnlySpan<byte> path, out int parentFd, out byte[] name)
    {
        parentFd = -1;
        name = [];
        if (path.IsEmpty) return Errno.NoEnt;
        if (path.Contains((byte)0)) return Errno.Inval;
        if (path[0] == (byte)'/') return Errno.NotCapable;

        var end = path.Length;
        while (end > 1 && path[end - 1] == (byte)'/') end--;
        var slash = path[..end].LastIndexOf((byte)'/');
        var last = path[(slash + 1)..end];
        if (last.SequenceEqual("."u8) || last.SequenceEqual(".."u8))
        {
            name = Libc.CString("."u8);
            return Open(dirfd, path, Libc.OPath | Libc.ODirectory, 0, out parentFd);
        }

        name = Libc.CString(path[(slash + 1)..]);
        return slash < 0
            ? Open(dirfd, "."u8, Libc.OPath | Libc.ODirectory, 0, out parentFd)
            : Open(dirfd, path[..slash], Libc.OPath | Libc.ODirectory, 0, out parentFd);
    }

    private Errno OpenByWalking(int dirfd, ReadOnlySpan<byte> path, int flags, uint mode, out int fd)
    {
        fd = -1;
        var followFinal = (flags & Libc.ONoFollow) == 0;
        var creating = (flags & Libc.OCreat) != 0;
        if (!creating && (flags & Libc.OPath) != 0)
            return Walk(dirfd, path, followFinal, out fd);

        // Resolve the parent safely, then open the last name without following; expand a final symlink by walking.
        var error = OpenParent(dirfd, path, out var parent, out var name);
        if (error != Errno.Success) return error;
        try
        {
            fixed (byte* n = name)
            {
                fd = Libc.Openat(parent, n, flags | Libc.ONoFollow | Libc.OCloExec, mode);
            }

            if (fd >= 0) return Errno.Success;
            var linuxError = Libc.LastError;
            if (linuxError != Libc.ELOOP || !followFinal) return ErrnoMap.FromLinux(linuxError); // the last name is a symlink
            error = Walk(dirfd, path, true, out var target);
            if (error != Errno.Success) return error;
            try
            {
                var proc = Libc.CString($"/proc/self/fd/{target}");
                fixed (byte* p = proc)
                {
                    fd = Libc.Openat(Libc.AtFdCwd, p, (flags & ~(Libc.OCreat | Libc.OExcl)) | Libc.OCloExec, 0);
                }

                return fd >= 0 ? Errno.Success : ErrnoMap.Last();
            }
            finally
            {
                Libc.Close(target);
            }
        }
        finally
        {
            Libc.Close(parent);
        }
    }

    /// <summary>Walks component by component; the result is an O_PATH fd.</summary>
    private static Errno Walk(int dirfd, ReadOnlySpan<byte> path, bool followFinal, out int fd)
    {
        fd = -1;
        var pending = new LinkedList<byte[]>();
        foreach (var part in Split(path)) pending.AddLast(part);
        var trailingSlash = path[^1] == (byte)'/';
        var stack = new Stack<int>();
        var dot = Libc.CString("."u8);
        fixed (byte* d = dot)
        {
            var start = Libc.Openat(dirfd, d, Libc.OPath | Libc.ODirectory | Libc.OCloExec, 0);
            if (start < 0) return ErrnoMap.Last();
            stack.Push(start);
        }

        var links = 0;
        try
        {
            while (pending.First is { } node)
            {
                var component = node.Value;
                pending.RemoveFirst();
                var text = component.AsSpan(0, component.Length - 1);
                if (text.SequenceEqual("."u8)) continue;
                if (text.SequenceEqual(".."u8))
                {
                    if (stack.Count == 1) return Errno.NotCapable;
                    Libc.Close(stack.Pop());
                    continue;
                }

                int next;
                fixed (byte* c = component)
                {
                    next = Libc.Openat(stack.Peek(), c, Libc.OPath | Libc.ONoFollow | Libc.OCloExec, 0);
                }

                if (next < 0) return ErrnoMap.Last();
                Libc.Statx stat;
                var empty = Libc.CString(""u8);
                fixed (byte* e = empty)
                {
                    if (Libc.StatxCall(next, e, Libc.AtEmptyPath | Libc.AtSymlinkNofollow, Libc.StatxBasicStats, &stat) < 0)
                    {
                        var error = ErrnoMap.Last();
                        Libc.Close(next);
                        return error;
                    }
                }

                var isLast = pending.Count == 0;
                var isSymlink = (stat.Mode & 0xF000) == 0xA000;
                if (isSymlink && (!isLast || followFinal || trailingSlash))
                {
                    var target = ReadLink(next);
                    Libc.Close(next);
                    if (target is null) return Errno.Io;
                    if (++links > MaxSymlinks) return Errno.Loop;
                    if (target.Length == 0) return Errno.NoEnt;
                    if (target[0] == (byte)'/') return Errno.NotCapable;
                    var parts = Split(target).ToList();
                    for (var i = parts.Count - 1; i >= 0; i--) pending.AddFirst(parts[i]);
                    continue;
                }

                if (!isLast && (stat.Mode & 0xF000) != 0x4000)
                {
                    Libc.Close(next);
                    return Errno.NotDir;
                }

                stack.Push(next);
            }

            fd = stack.Pop();
            return Errno.Success;
        }
        finally
        {
            while (stack.Count > 0) Libc.Close(stack.Pop());
        }
    }

    private static byte[]? ReadLink(int symlinkFd)
    {
        var buffer = new byte[4096];
        var empty = Libc.CString(""u8);
        fixed (byte* b = buffer)
        fixed (byte* e = empty)
        {
            var length = Libc.Readlinkat(symlinkFd, e, b, (nuint)buffer.Length);
            return length < 0 ? null : buffer[..(int)length];
        }
    }

    /// <summary>Non-empty components, each NUL-terminated.</summary>
    private static IEnumerable<byte[]> Split(ReadOnlySpan<byte> path)
    {
        var parts = new List<byte[]>();
        foreach (var range in path.Split((byte)'/'))
        {
            if (range.End.Value - range.Start.Value == 0) continue;
            parts.Add(Libc.CString(path[range]));
        }

        return parts;
    }
}
