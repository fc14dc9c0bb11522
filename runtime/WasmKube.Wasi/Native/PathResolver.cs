using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Native;

/// <summary>
/// Resolves guest paths strictly beneath a directory fd. Every path_* call goes through <see cref="Open"/> or
/// <see cref="OpenParent"/>, which read the path the same way in both modes (<see cref="Parse"/>) before any lookup:
/// <list type="bullet">
/// <item>On Linux 5.6+ the kernel resolves: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS refuses "..",
/// absolute paths and symlinks that leave the directory (EXDEV), atomically, so renames racing with the lookup cannot
/// move it outside.</item>
/// <item>Where openat2 is missing (ENOSYS) the fallback walks one component at a time with
/// openat(O_PATH | O_NOFOLLOW), expanding symlinks itself; each step is relative to an fd already proven to be
/// inside, so a component swapped for a symlink is seen, not followed.</item>
/// </list>
/// Trailing slashes never reach the kernel: "name/" is read as "the directory name leads to", so a final symlink is
/// followed by the resolver (beneath the directory, like any other) and the result must be a directory. The kernel
/// would otherwise follow a final symlink before a slash even under O_NOFOLLOW or AT_SYMLINK_NOFOLLOW, outside.
/// </summary>
internal sealed unsafe class PathResolver
{
    private const int MaxSymlinks = 40; // Linux's own limit (MAXSYMLINKS)
    private const int PathMax = 4096;   // Linux's PATH_MAX, NUL included: the walk keeps the kernel's limit

    private Mode _mode;
    private readonly bool _walkAllowed;

    /// <param name="useOpenat2">False forces the walk (tests of the fallback).</param>
    /// <param name="walkAllowed">False refuses every lookup (ENOSYS) rather than walking when openat2 is missing.</param>
    public PathResolver(bool useOpenat2 = true, bool walkAllowed = true)
    {
        _walkAllowed = walkAllowed;
        _mode = useOpenat2 && OperatingSystem.IsLinux() ? Mode.Openat2 : walkAllowed ? Mode.Walk : Mode.Unavailable;
    }

    private enum Mode
    {
        Openat2,
        Walk,
        Unavailable,
    }

    /// <summary>True while resolution is done by openat2 in the kernel; false after falling back to the walk.</summary>
    public bool KernelEnforced => _mode == Mode.Openat2;

    /// <summary>False when openat2 is missing and the walk was not allowed: every lookup then fails with ENOSYS.</summary>
    public bool Available => _mode != Mode.Unavailable;

    /// <summary>True for "name/": the caller acts on the directory the name leads to, not on a symlink called name.</summary>
    public static bool NamesDirectory(ReadOnlySpan<byte> path) => path.Length > 1 && path[^1] == (byte)'/';

    /// <summary>
    /// Opens <paramref name="path"/> beneath <paramref name="dirfd"/>; O_NOFOLLOW in flags keeps a final symlink
    /// unfollowed (unless the path ends in a slash).
    /// </summary>
    public Errno Open(int dirfd, ReadOnlySpan<byte> path, int flags, uint mode, out int fd)
    {
        fd = -1;
        var error = Parse(path, out var body, out var namesDirectory);
        if (error != Errno.Success) return error;
        if (namesDirectory)
        {
            if ((flags & HostCalls.OCreat) != 0) return Errno.IsDir; // open("name/", O_CREAT) cannot create a file
            flags = (flags | HostCalls.ODirectory) & ~HostCalls.ONoFollow;
        }

        return OpenBody(dirfd, body, flags, mode, out fd);
    }

    /// <summary>
    /// Resolves every component but the last and returns an fd of that directory (the caller closes it) and the last
    /// name, NUL-terminated, without any slash, for the *at calls that act on a name (unlink, mkdir, rename, link,
    /// symlink, readlink, lstat). A path ending in "." or ".." resolves entirely and yields name "." so that no call
    /// ever sees a ".." name. <paramref name="namesDirectory"/> tells that the path ended in a slash, which each
    /// caller honours (the slash itself is not passed on).
    /// </summary>
    public Errno OpenParent(int dirfd, ReadOnlySpan<byte> path, out int parentFd, out byte[] name, out bool namesDirectory)
    {
        parentFd = -1;
        name = [];
        var error = Parse(path, out var body, out namesDirectory);
        return error != Errno.Success ? error : OpenParentOfBody(dirfd, body, out parentFd, out name);
    }

    /// <summary>
    /// The reading of a guest path shared by both modes: not empty, no NUL, relative, at most PATH_MAX; trailing
    /// slashes are taken off and reported.
    /// </summary>
    private static Errno Parse(ReadOnlySpan<byte> path, out ReadOnlySpan<byte> body, out bool namesDirectory)
    {
        body = default;
        namesDirectory = false;
        if (path.IsEmpty) return Errno.NoEnt;
        if (path.Contains((byte)0)) return Errno.Inval;
        if (path[0] == (byte)'/') return Errno.NotCapable;
        if (path.Length >= PathMax) return Errno.NameTooLong;
        var end = path.Length;
        while (path[end - 1] == (byte)'/') end--; // stops at the first byte, which is not a slash
        namesDirectory = end < path.Length;
        body = path[..end];
        return Errno.Success;
    }

    private Errno OpenBody(int dirfd, ReadOnlySpan<byte> body, int flags, uint mode, out int fd)
    {
        fd = -1;
        if (_mode == Mode.Openat2)
        {
            var cpath = HostCalls.CString(body);
            var how = new HostCalls.OpenHow
            {
                Flags = (ulong)(uint)(flags | HostCalls.OCloExec),
                Mode = (flags & HostCalls.OCreat) != 0 ? mode : 0,
                Resolve = HostCalls.ResolveBeneath | HostCalls.ResolveNoMagicLinks,
            };
            for (var attempt = 0; ; attempt++)
            {
                fixed (byte* p = cpath)
                {
                    fd = HostCalls.Openat2(dirfd, p, &how);
                }

                if (fd >= 0) return Errno.Success;
                var error = HostCalls.LastError;
                // The kernel answers EAGAIN when a concurrent rename could have let ".." escape; asking again is safe.
                if (error == HostCalls.EAGAIN && attempt < 16) continue;
                if (error == HostCalls.ENOSYS)
                {
                    _mode = _walkAllowed ? Mode.Walk : Mode.Unavailable;
                    break;
                }

                return error == HostCalls.EXDEV ? Errno.NotCapable : ErrnoMap.FromLinux(error);
            }
        }

        return _mode == Mode.Walk ? OpenByWalking(dirfd, body, flags, mode, out fd) : Errno.NoSys;
    }

    private Errno OpenParentOfBody(int dirfd, ReadOnlySpan<byte> body, out int parentFd, out byte[] name)
    {
        var slash = body.LastIndexOf((byte)'/');
        var last = body[(slash + 1)..];
        if (last.SequenceEqual("."u8) || last.SequenceEqual(".."u8))
        {
            name = HostCalls.CString("."u8);
            return OpenBody(dirfd, body, HostCalls.OPath | HostCalls.ODirectory, 0, out parentFd);
        }

        name = HostCalls.CString(last);
        return OpenBody(dirfd, slash < 0 ? "."u8 : body[..slash], HostCalls.OPath | HostCalls.ODirectory, 0, out parentFd);
    }

    private Errno OpenByWalking(int dirfd, ReadOnlySpan<byte> body, int flags, uint mode, out int fd)
    {
        fd = -1;
        var followFinal = (flags & HostCalls.ONoFollow) == 0;
        if ((flags & (HostCalls.OCreat | HostCalls.OPath)) == HostCalls.OPath)
            return Walk(dirfd, body, followFinal, (flags & HostCalls.ODirectory) != 0, out fd);

        // Resolve the parent safely, then open the last name without following. A final symlink to follow is replaced
        // by its target in the path and the lookup starts again, so creating through a dangling symlink works as in
        // the kernel, and every step is again a safe parent plus one name.
        var path = body.ToArray();
        for (var links = 0; ; links++)
        {
            var error = OpenParentOfBody(dirfd, path, out var parent, out var name);
            if (error != Errno.Success) return error;
            byte[]? target;
            try
            {
                fixed (byte* n = name)
                {
                    fd = HostCalls.Openat(parent, n, flags | HostCalls.ONoFollow | HostCalls.OCloExec, mode);
                }

                if (fd >= 0) return Errno.Success;
                var linuxError = HostCalls.LastError;
                // A symlink under O_NOFOLLOW is ELOOP, or ENOTDIR when O_DIRECTORY was asked for too.
                target = followFinal && linuxError is HostCalls.ELOOP or HostCalls.ENOTDIR ? ReadLink(parent, name) : null;
                if (target is null) return ErrnoMap.FromLinux(linuxError);
            }
            finally
            {
                HostCalls.Close(parent);
            }

            if (links == MaxSymlinks) return Errno.Loop;
            if (target.Length == 0) return Errno.NoEnt;
            if (target[0] == (byte)'/') return Errno.NotCapable;
            var slash = Array.LastIndexOf(path, (byte)'/');
            byte[] joined = slash < 0 ? target : [.. path.AsSpan(0, slash + 1), .. target];
            error = Parse(joined, out var targetBody, out var namesDirectory);
            if (error != Errno.Success) return error;
            if (namesDirectory)
            {
                if ((flags & HostCalls.OCreat) != 0) return Errno.IsDir;
                flags |= HostCalls.ODirectory;
            }

            path = targetBody.ToArray();
        }
    }

    /// <summary>Walks component by component; the result is an O_PATH fd.</summary>
    private static Errno Walk(int dirfd, ReadOnlySpan<byte> body, bool followFinal, bool directory, out int fd)
    {
        fd = -1;
        var pending = new LinkedList<byte[]>();
        foreach (var part in Split(body)) pending.AddLast(part);
        var stack = new Stack<int>();
        var dot = HostCalls.CString("."u8);
        fixed (byte* d = dot)
        {
            var start = HostCalls.Openat(dirfd, d, HostCalls.OPath | HostCalls.ODirectory | HostCalls.OCloExec, 0);
            if (start < 0) return ErrnoMap.Last();
            stack.Push(start);
        }

        var links = 0;
        var atDirectory = true;
        try
        {
            while (pending.First is { } node)
            {
                var component = node.Value;
                pending.RemoveFirst();
                var text = component.AsSpan(0, component.Length - 1);
                if (text.SequenceEqual("."u8))
                {
                    if (!atDirectory) return Errno.NotDir;
                    continue;
                }

                if (text.SequenceEqual(".."u8))
                {
                    if (!atDirectory) return Errno.NotDir;
                    if (stack.Count == 1) return Errno.NotCapable;
                    HostCalls.Close(stack.Pop());
                    continue;
                }

                if (!atDirectory) return Errno.NotDir;
                int next;
                fixed (byte* c = component)
                {
                    next = HostCalls.Openat(stack.Peek(), c, HostCalls.OPath | HostCalls.ONoFollow | HostCalls.OCloExec, 0);
                }

                if (next < 0) return ErrnoMap.Last();
                HostCalls.Statx stat;
                var empty = HostCalls.CString(""u8);
                fixed (byte* e = empty)
                {
                    if (HostCalls.StatxCall(next, e, HostCalls.AtEmptyPath | HostCalls.AtSymlinkNofollow, HostCalls.StatxBasicStats, &stat) < 0)
                    {
                        var error = ErrnoMap.Last();
                        HostCalls.Close(next);
                        return error;
                    }
                }

                var isLast = pending.Count == 0;
                var isSymlink = (stat.Mode & 0xF000) == 0xA000;
                if (isSymlink && (!isLast || followFinal))
                {
                    var target = ReadLink(next);
                    HostCalls.Close(next);
                    if (target is null) return Errno.Io;
                    if (++links > MaxSymlinks) return Errno.Loop;
                    if (target.Length == 0) return Errno.NoEnt;
                    if (target[0] == (byte)'/') return Errno.NotCapable;
                    // A target ending in "/" must lead to a directory, like a path that does: "name/" is "name/.".
                    if (target[^1] == (byte)'/') pending.AddFirst(HostCalls.CString("."u8));
                    var parts = Split(target).ToList();
                    for (var i = parts.Count - 1; i >= 0; i--) pending.AddFirst(parts[i]);
                    continue;
                }

                atDirectory = (stat.Mode & 0xF000) == 0x4000;
                stack.Push(next);
            }

            if (directory && !atDirectory) return Errno.NotDir;
            fd = stack.Pop();
            return Errno.Success;
        }
        finally
        {
            while (stack.Count > 0) HostCalls.Close(stack.Pop());
        }
    }

    private static byte[]? ReadLink(int symlinkFd) => ReadLink(symlinkFd, HostCalls.CString(""u8));

    /// <summary>The target of the symlink <paramref name="name"/> in <paramref name="directory"/>; null when it is none.</summary>
    private static byte[]? ReadLink(int directory, byte[] name)
    {
        var buffer = new byte[PathMax];
        fixed (byte* b = buffer)
        fixed (byte* n = name)
        {
            var length = HostCalls.Readlinkat(directory, n, b, (nuint)buffer.Length);
            return length < 0 ? null : buffer[..(int)length];
        }
    }

    /// <summary>Non-empty components, each NUL-terminated.</summary>
    private static List<byte[]> Split(ReadOnlySpan<byte> path)
    {
        var parts = new List<byte[]>();
        foreach (var range in path.Split((byte)'/'))
        {
            if (range.End.Value - range.Start.Value == 0) continue;
            parts.Add(HostCalls.CString(path[range]));
        }

        return parts;
    }
}
