using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Descriptors;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi;

// path_* functions. Every lookup goes through PathResolver, relative to the directory fd: the guest can name nothing
// that is not beneath one of its preopens.
public sealed unsafe partial class WasiPreview1
{
    private const Rights ReadRights = Rights.FdRead | Rights.FdReaddir;
    private const Rights WriteRights = Rights.FdWrite | Rights.FdDatasync | Rights.FdAllocate | Rights.FdFilestatSetSize;

    public Errno PathOpen(Span<byte> memory, int fd, int lookupFlags, int pathPointer, int pathLength, int openFlags,
        long rightsBase, long rightsInheriting, int fdFlags, int openedPointer)
    {
        var oflags = (OFlags)openFlags;
        var fdflags = (FdFlags)fdFlags;
        var needed = Rights.PathOpen;
        if ((oflags & OFlags.Creat) != 0) needed |= Rights.PathCreateFile;
        if ((oflags & OFlags.Trunc) != 0) needed |= Rights.PathFilestatSetSize;
        var error = LookupDirectory(fd, needed, out var directory);
        if (error != Errno.Success) return error;
        if ((openFlags & ~0xF) != 0 || (fdFlags & ~0x1F) != 0) return Errno.Inval;
        if ((oflags & OFlags.Directory) != 0)
        {
            // Directories are made by path_create_directory and are never written to (the kernel would not say so
            // itself: it opens directories read-only whatever the rights asked for).
            if ((oflags & OFlags.Creat) != 0) return Errno.Inval;
            if (((Rights)rightsBase & Rights.FdWrite) != 0) return Errno.IsDir;
        }

        // Rights beyond what the directory passes on are dropped, not refused: toolchains ask for more than they use.
        var newBase = (Rights)rightsBase & directory.Inheriting;
        var newInheriting = (Rights)rightsInheriting & directory.Inheriting;
        var read = (newBase & ReadRights) != 0;
        var write = (newBase & WriteRights) != 0 || (fdflags & FdFlags.Append) != 0;
        if (directory.ReadOnly && (write || (oflags & (OFlags.Creat | OFlags.Trunc)) != 0)) return Errno.NotCapable;

        var flags = (oflags & OFlags.Directory) != 0 ? HostCalls.ORdOnly | HostCalls.ODirectory
            : write ? (read ? HostCalls.ORdWr : HostCalls.OWrOnly) : HostCalls.ORdOnly;
        if ((oflags & OFlags.Creat) != 0) flags |= HostCalls.OCreat;
        if ((oflags & OFlags.Excl) != 0) flags |= HostCalls.OExcl;
        if ((oflags & OFlags.Trunc) != 0) flags |= HostCalls.OTrunc;
        if ((fdflags & FdFlags.Append) != 0) flags |= HostCalls.OAppend;
        if ((fdflags & FdFlags.NonBlock) != 0) flags |= HostCalls.ONonBlock;
        if ((fdflags & FdFlags.Dsync) != 0) flags |= HostCalls.ODsync;
        if ((fdflags & (FdFlags.Sync | FdFlags.Rsync)) != 0) flags |= HostCalls.OSync;
        if (((LookupFlags)lookupFlags & LookupFlags.SymlinkFollow) == 0) flags |= HostCalls.ONoFollow;

        var path = new GuestMemory(memory).Slice(pathPointer, pathLength);
        error = _context.Resolver.Open(directory.Fd, path, flags, 0x1b6 /* 0666 less the umask */, out var hostFd);
        if (error != Errno.Success) return error;

        HostDescriptor.Stat(hostFd, ""u8, HostCalls.AtEmptyPath, out var stat);
        var opened = stat.Type == FileType.Directory
            ? new HostDescriptor(hostFd, FileType.Directory, newBase & (directory.ReadOnly ? Rights.DirectoryReadOnly : Rights.DirectoryAll), newInheriting, directory.ReadOnly)
            : new HostDescriptor(hostFd, stat.Type, newBase & Rights.FileAll & ~SeekRightsOf(stat.Type), Rights.None, directory.ReadOnly);
        opened.Flags = fdflags & (FdFlags.Append | FdFlags.NonBlock | FdFlags.Dsync | FdFlags.Sync | FdFlags.Rsync);
        new GuestMemory(memory).WriteU32(openedPointer, (uint)_context.Add(opened));
        return Errno.Success;
    }

    public Errno PathCreateDirectory(Span<byte> memory, int fd, int pathPointer, int pathLength) =>
        AtParent(memory, fd, Rights.PathCreateDirectory, pathPointer, pathLength,
            static (parent, name) => HostCalls.Mkdirat(parent, name, 0x1ff /* 0777 less the umask */));

    public Errno PathRemoveDirectory(Span<byte> memory, int fd, int pathPointer, int pathLength) =>
        AtParent(memory, fd, Rights.PathRemoveDirectory, pathPointer, pathLength,
            static (parent, name) => HostCalls.Unlinkat(parent, name, HostCalls.AtRemoveDir));

    public Errno PathUnlinkFile(Span<byte> memory, int fd, int pathPointer, int pathLength) =>
        AtParent(memory, fd, Rights.PathUnlinkFile, pathPointer, pathLength,
            static (parent, name) => HostCalls.Unlinkat(parent, name, 0), slashNeedsDirectory: true);

    public Errno PathFilestatGet(Span<byte> memory, int fd, int lookupFlags, int pathPointer, int pathLength, int statPointer)
    {
        var error = LookupDirectory(fd, Rights.PathFilestatGet, out var directory);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        var path = guest.Slice(pathPointer, pathLength);
        Filestat stat;
        if (Follows(lookupFlags, path))
        {
            error = _context.Resolver.Open(directory.Fd, path, HostCalls.OPath, 0, out var target);
            if (error != Errno.Success) return error;
            error = HostDescriptor.Stat(target, ""u8, HostCalls.AtEmptyPath, out stat);
            HostCalls.Close(target);
        }
        else
        {
            error = _context.Resolver.OpenParent(directory.Fd, path, out var parent, out var name, out _);
            if (error != Errno.Success) return error;
            error = HostDescriptor.Stat(parent, name.AsSpan(0, name.Length - 1), HostCalls.AtSymlinkNofollow, out stat);
            HostCalls.Close(parent);
        }

        if (error != Errno.Success) return error;
        stat.WriteTo(guest.Slice(statPointer, 64));
        return Errno.Success;
    }

    public Errno PathFilestatSetTimes(Span<byte> memory, int fd, int lookupFlags, int pathPointer, int pathLength,
        long accessTime, long modificationTime, int flags)
    {
        var error = LookupDirectory(fd, Rights.PathFilestatSetTimes, out var directory);
        if (error != Errno.Success) return error;
        if (!TryTimes(accessTime, modificationTime, flags, out var times)) return Errno.Inval;
        var path = new GuestMemory(memory).Slice(pathPointer, pathLength);
        if (Follows(lookupFlags, path))
        {
            // Resolved (and followed) beneath the directory first; then the call acts on that very inode.
            error = _context.Resolver.Open(directory.Fd, path, HostCalls.OPath, 0, out var target);
            if (error != Errno.Success) return error;
            try
            {
                var proc = HostCalls.CString($"/proc/self/fd/{target}");
                fixed (byte* p = proc)
                fixed (HostCalls.Timespec* t = times)
                {
                    return HostCalls.Utimensat(HostCalls.AtFdCwd, p, t, 0) < 0 ? ErrnoMap.Last() : Errno.Success;
                }
            }
            finally
            {
                HostCalls.Close(target);
            }
        }

        error = _context.Resolver.OpenParent(directory.Fd, path, out var parent, out var name, out _);
        if (error != Errno.Success) return error;
        try
        {
            fixed (byte* n = name)
            fixed (HostCalls.Timespec* t = times)
            {
                return HostCalls.Utimensat(parent, n, t, HostCalls.AtSymlinkNofollow) < 0 ? ErrnoMap.Last() : Errno.Success;
            }
        }
        finally
        {
            HostCalls.Close(parent);
        }
    }

    public Errno PathLink(Span<byte> memory, int oldFd, int oldLookupFlags, int oldPathPointer, int oldPathLength,
        int newFd, int newPathPointer, int newPathLength)
    {
        var error = LookupDirectory(oldFd, Rights.PathLinkSource, out var oldDirectory);
        if (error != Errno.Success) return error;
        error = LookupDirectory(newFd, Rights.PathLinkTarget, out var newDirectory);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        var oldPath = guest.Slice(oldPathPointer, oldPathLength);
        var newPath = guest.Slice(newPathPointer, newPathLength);
        if (PathResolver.NamesDirectory(oldPath))
        {
            // "name/" is a directory, which cannot be hard-linked (what is wrong with the path is said first).
            error = _context.Resolver.Open(oldDirectory.Fd, oldPath, HostCalls.OPath, 0, out var found);
            if (error != Errno.Success) return error;
            HostCalls.Close(found);
            return Errno.Perm;
        }

        error = _context.Resolver.OpenParent(newDirectory.Fd, newPath, out var newParent, out var newName, out var newIsDirectory);
        if (error != Errno.Success) return error;
        try
        {
            if (newIsDirectory) return CreatingANonDirectory(newParent, newName);
            if (Follows(oldLookupFlags, oldPath))
            {
                // linkat's own AT_SYMLINK_FOLLOW would follow a symlink out of the preopen; link the resolved inode instead.
                error = _context.Resolver.Open(oldDirectory.Fd, oldPath, HostCalls.OPath, 0, out var source);
                if (error != Errno.Success) return error;
                try
                {
                    var proc = HostCalls.CString($"/proc/self/fd/{source}");
                    fixed (byte* p = proc)
                    fixed (byte* n = newName)
                    {
                        return HostCalls.Linkat(HostCalls.AtFdCwd, p, newParent, n, HostCalls.AtSymlinkFollow) < 0 ? ErrnoMap.Last() : Errno.Success;
                    }
                }
                finally
                {
                    HostCalls.Close(source);
                }
            }

            error = _context.Resolver.OpenParent(oldDirectory.Fd, oldPath, out var oldParent, out var oldName, out _);
            if (error != Errno.Success) return error;
            try
            {
                fixed (byte* o = oldName)
                fixed (byte* n = newName)
                {
                    return HostCalls.Linkat(oldParent, o, newParent, n, 0) < 0 ? ErrnoMap.Last() : Errno.Success;
                }
            }
            finally
            {
                HostCalls.Close(oldParent);
            }
        }
        finally
        {
            HostCalls.Close(newParent);
        }
    }

    public Errno PathReadlink(Span<byte> memory, int fd, int pathPointer, int pathLength, int bufferPointer, int bufferLength, int usedPointer)
    {
        var error = LookupDirectory(fd, Rights.PathReadlink, out var directory);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        var path = guest.Slice(pathPointer, pathLength);
        var buffer = guest.Slice(bufferPointer, bufferLength);
        if (PathResolver.NamesDirectory(path))
        {
            // "name/" is the directory name leads to, and a directory is not a symlink.
            error = _context.Resolver.Open(directory.Fd, path, HostCalls.OPath, 0, out var found);
            if (error != Errno.Success) return error;
            HostCalls.Close(found);
            return Errno.Inval;
        }

        error = _context.Resolver.OpenParent(directory.Fd, path, out var parent, out var name, out _);
        if (error != Errno.Success) return error;
        try
        {
            nint length;
            fixed (byte* n = name)
            fixed (byte* b = buffer)
            {
                length = HostCalls.Readlinkat(parent, n, b, (nuint)buffer.Length);
            }

            if (length < 0) return ErrnoMap.Last();
            guest.WriteU32(usedPointer, (uint)length);
            return Errno.Success;
        }
        finally
        {
            HostCalls.Close(parent);
        }
    }

    public Errno PathRename(Span<byte> memory, int fd, int oldPathPointer, int oldPathLength, int newFd, int newPathPointer, int newPathLength)
    {
        var error = LookupDirectory(fd, Rights.PathRenameSource, out var oldDirectory);
        if (error != Errno.Success) return error;
        error = LookupDirectory(newFd, Rights.PathRenameTarget, out var newDirectory);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        error = _context.Resolver.OpenParent(oldDirectory.Fd, guest.Slice(oldPathPointer, oldPathLength), out var oldParent, out var oldName, out var oldIsDirectory);
        if (error != Errno.Success) return error;
        try
        {
            error = _context.Resolver.OpenParent(newDirectory.Fd, guest.Slice(newPathPointer, newPathLength), out var newParent, out var newName, out var newIsDirectory);
            if (error != Errno.Success) return error;
            try
            {
                // With a slash on either name only a directory may move (a symlink to one is not followed).
                if (oldIsDirectory || newIsDirectory)
                {
                    error = HostDescriptor.Stat(oldParent, oldName.AsSpan(0, oldName.Length - 1), HostCalls.AtSymlinkNofollow, out var source);
                    if (error != Errno.Success) return error;
                    if (source.Type != FileType.Directory) return Errno.NotDir;
                }

                fixed (byte* o = oldName)
                fixed (byte* n = newName)
                {
                    return HostCalls.Renameat(oldParent, o, newParent, n) < 0 ? ErrnoMap.Last() : Errno.Success;
                }
            }
            finally
            {
                HostCalls.Close(newParent);
            }
        }
        finally
        {
            HostCalls.Close(oldParent);
        }
    }

    /// <summary>
    /// Creates a relative symlink. Its text is checked again whenever something follows it, by the resolver; an
    /// absolute target is refused outright (EPERM, as Wasmtime answers), since whatever follows the link outside the
    /// guest's resolver (the host, a sidecar sharing the volume) would leave the preopen.
    /// </summary>
    public Errno PathSymlink(Span<byte> memory, int targetPointer, int targetLength, int fd, int pathPointer, int pathLength)
    {
        var error = LookupDirectory(fd, Rights.PathSymlink, out var directory);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        var target = guest.Slice(targetPointer, targetLength);
        if (target.Contains((byte)0)) return Errno.Inval;
        if (!target.IsEmpty && target[0] == (byte)'/') return Errno.Perm;
        var ctarget = HostCalls.CString(target);
        error = _context.Resolver.OpenParent(directory.Fd, guest.Slice(pathPointer, pathLength), out var parent, out var name, out var namesDirectory);
        if (error != Errno.Success) return error;
        try
        {
            if (namesDirectory) return CreatingANonDirectory(parent, name);
            fixed (byte* t = ctarget)
            fixed (byte* n = name)
            {
                return HostCalls.Symlinkat(t, parent, n) < 0 ? ErrnoMap.Last() : Errno.Success;
            }
        }
        finally
        {
            HostCalls.Close(parent);
        }
    }

    private static Rights SeekRightsOf(FileType type) =>
        type is FileType.RegularFile or FileType.BlockDevice ? Rights.None : Rights.FdSeek | Rights.FdTell;

    /// <summary>
    /// Whether a lookup follows its final symlink: when asked to, and always for "name/", which names the directory
    /// the name leads to (as in POSIX path resolution; the resolver follows it beneath the directory like any other).
    /// </summary>
    private static bool Follows(int lookupFlags, ReadOnlySpan<byte> path) =>
        ((LookupFlags)lookupFlags & LookupFlags.SymlinkFollow) != 0 || PathResolver.NamesDirectory(path);

    /// <summary>A symlink or hard link named "name/" cannot be made: EEXIST when the name exists, else ENOENT (as Linux).</summary>
    private static Errno CreatingANonDirectory(int parent, byte[] name) =>
        HostDescriptor.Stat(parent, name.AsSpan(0, name.Length - 1), HostCalls.AtSymlinkNofollow, out _) == Errno.Success
            ? Errno.Exist
            : Errno.NoEnt;

    private delegate int AtCall(int parent, byte* name);

    /// <summary>
    /// Resolves the parent and calls <paramref name="call"/> on the last name, which the kernel never follows for
    /// mkdirat and unlinkat. The slash of "name/" is not passed on: rmdir and mkdir judge the name alike without it,
    /// and <paramref name="slashNeedsDirectory"/> makes unlink answer ENOTDIR for a file or symlink there, as Linux.
    /// </summary>
    private Errno AtParent(Span<byte> memory, int fd, Rights required, int pathPointer, int pathLength, AtCall call, bool slashNeedsDirectory = false)
    {
        var error = LookupDirectory(fd, required, out var directory);
        if (error != Errno.Success) return error;
        var path = new GuestMemory(memory).Slice(pathPointer, pathLength);
        error = _context.Resolver.OpenParent(directory.Fd, path, out var parent, out var name, out var namesDirectory);
        if (error != Errno.Success) return error;
        try
        {
            if (namesDirectory && slashNeedsDirectory
                && HostDescriptor.Stat(parent, name.AsSpan(0, name.Length - 1), HostCalls.AtSymlinkNofollow, out var existing) == Errno.Success
                && existing.Type != FileType.Directory)
                return Errno.NotDir;
            fixed (byte* n = name)
            {
                return call(parent, n) < 0 ? ErrnoMap.Last() : Errno.Success;
            }
        }
        finally
        {
            HostCalls.Close(parent);
        }
    }
}
