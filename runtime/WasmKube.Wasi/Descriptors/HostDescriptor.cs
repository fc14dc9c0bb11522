using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi.Descriptors;

/// <summary>A host file descriptor: a regular file, a directory, a FIFO or a terminal.</summary>
internal sealed unsafe class HostDescriptor : Descriptor
{
    private List<DirectoryEntry>? _entries;

    public HostDescriptor(int fd, FileType type, Rights rights, Rights inheriting, bool readOnly)
    {
        Fd = fd;
        Type = type;
        Base = rights;
        Inheriting = inheriting;
        ReadOnly = readOnly;
    }

    public int Fd { get; }

    /// <summary>Opened beneath a read-only preopen: the host fd itself is read-only and so is everything opened through it.</summary>
    public bool ReadOnly { get; }

    /// <summary>The guest-visible name when this is a preopened directory (fd_prestat_*).</summary>
    public byte[]? PreopenName { get; init; }

    public override int PollHandle => Fd;

    private bool MayBlock => Type is not (FileType.RegularFile or FileType.Directory) && (Flags & FdFlags.NonBlock) == 0;

    public override Errno Read(Span<byte> buffer, out int read, CancellationToken cancellation)
    {
        read = 0;
        if (Type == FileType.Directory) return Errno.IsDir;
        if (MayBlock) Readiness.Wait(Fd, HostCalls.PollIn, cancellation);
        nint result;
        fixed (byte* b = buffer)
        {
            result = HostCalls.Read(Fd, b, (nuint)buffer.Length);
        }

        if (result < 0) return ErrnoMap.Last();
        read = (int)result;
        return Errno.Success;
    }

    public override Errno Write(ReadOnlySpan<byte> data, out int written, CancellationToken cancellation)
    {
        written = 0;
        if (Type == FileType.Directory) return Errno.IsDir;
        if (MayBlock) Readiness.Wait(Fd, HostCalls.PollOut, cancellation);
        nint result;
        fixed (byte* b = data)
        {
            result = HostCalls.Write(Fd, b, (nuint)data.Length);
        }

        if (result < 0) return ErrnoMap.Last();
        written = (int)result;
        return Errno.Success;
    }

    public Errno Pread(Span<byte> buffer, long offset, out int read)
    {
        read = 0;
        if (Type == FileType.Directory) return Errno.IsDir;
        nint result;
        fixed (byte* b = buffer)
        {
            result = HostCalls.Pread(Fd, b, (nuint)buffer.Length, offset);
        }

        if (result < 0) return ErrnoMap.Last();
        read = (int)result;
        return Errno.Success;
    }

    public Errno Pwrite(ReadOnlySpan<byte> data, long offset, out int written)
    {
        written = 0;
        if (Type == FileType.Directory) return Errno.IsDir;
        nint result;
        fixed (byte* b = data)
        {
            result = HostCalls.Pwrite(Fd, b, (nuint)data.Length, offset);
        }

        if (result < 0) return ErrnoMap.Last();
        written = (int)result;
        return Errno.Success;
    }

    public override Errno SetFlags(FdFlags flags)
    {
        var current = HostCalls.Fcntl(Fd, HostCalls.FGetFl, 0);
        if (current < 0) return ErrnoMap.Last();
        // Only append and non-blocking can change after open (as in Linux fcntl F_SETFL).
        var wanted = current & ~(HostCalls.OAppend | HostCalls.ONonBlock);
        if ((flags & FdFlags.Append) != 0) wanted |= HostCalls.OAppend;
        if ((flags & FdFlags.NonBlock) != 0) wanted |= HostCalls.ONonBlock;
        if (HostCalls.Fcntl(Fd, HostCalls.FSetFl, wanted) < 0) return ErrnoMap.Last();
        Flags = (Flags & ~(FdFlags.Append | FdFlags.NonBlock)) | (flags & (FdFlags.Append | FdFlags.NonBlock));
        return Errno.Success;
    }

    public override Errno GetFilestat(out Filestat stat) => Stat(Fd, ""u8, HostCalls.AtEmptyPath, out stat);

    /// <summary>statx on a name relative to <paramref name="dirfd"/> (or the fd itself with AT_EMPTY_PATH).</summary>
    public static Errno Stat(int dirfd, ReadOnlySpan<byte> name, int flags, out Filestat stat)
    {
        stat = default;
        var cname = HostCalls.CString(name);
        HostCalls.Statx buffer;
        fixed (byte* n = cname)
        {
            if (HostCalls.StatxCall(dirfd, n, flags, HostCalls.StatxBasicStats, &buffer) < 0) return ErrnoMap.Last();
        }

        var device = ((ulong)buffer.DevMajor << 32) | buffer.DevMinor;
        stat = new Filestat(device, buffer.Ino, TypeOf(buffer.Mode), buffer.NLink, buffer.Size,
            Nanoseconds(buffer.AtimeSec, buffer.AtimeNsec), Nanoseconds(buffer.MtimeSec, buffer.MtimeNsec),
            Nanoseconds(buffer.CtimeSec, buffer.CtimeNsec));
        return Errno.Success;
    }

    public static FileType TypeOf(ushort mode) => (mode & 0xF000) switch
    {
        0x4000 => FileType.Directory,
        0x8000 => FileType.RegularFile,
        0xA000 => FileType.SymbolicLink,
        0x2000 => FileType.CharacterDevice,
        0x6000 => FileType.BlockDevice,
        0xC000 => FileType.SocketStream,
        _ => FileType.Unknown, // FIFOs have no WASI file type
    };

    private static ulong Nanoseconds(long seconds, uint nanoseconds) =>
        seconds < 0 ? 0 : (ulong)seconds * 1_000_000_000UL + nanoseconds;

    /// <summary>The directory's entries (getdents64 order), read afresh when a listing starts at cookie 0.</summary>
    public Errno ReadEntries(ulong cookie, out IReadOnlyList<DirectoryEntry> entries)
    {
        entries = [];
        if (Type != FileType.Directory) return Errno.NotDir;
        if (cookie == 0 || _entries is null)
        {
            if (HostCalls.Lseek(Fd, 0, 0) < 0) return ErrnoMap.Last();
            var list = new List<DirectoryEntry>();
            var buffer = new byte[32 * 1024];
            while (true)
            {
                nint length;
                fixed (byte* b = buffer)
                {
                    length = HostCalls.Getdents64(Fd, b, (nuint)buffer.Length);
                }

                if (length < 0) return ErrnoMap.Last();
                if (length == 0) break;
                // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]
                for (var offset = 0; offset < length;)
                {
                    var record = buffer.AsSpan(offset);
                    var inode = BitConverter.ToUInt64(record);
                    var recordLength = BitConverter.ToUInt16(record[16..]);
                    var type = record[18];
                    var name = record[19..recordLength];
                    name = name[..name.IndexOf((byte)0)];
                    list.Add(new DirectoryEntry(inode, DirentType(type), name.ToArray()));
                    offset += recordLength;
                }
            }

            // ".." may be the host directory above a preopen (the preopen itself, or it reopened as "." or "sub/..");
            // every directory reports it with its own inode, as Wasmtime does, so no inode outside is ever shown.
            if (list.Find(e => e.Name is [(byte)'.']) is { } self)
                list = [.. list.Select(e => e.Name is [(byte)'.', (byte)'.'] ? e with { Inode = self.Inode } : e)];
            _entries = list;
        }

        entries = _entries;
        return Errno.Success;
    }

    private static FileType DirentType(byte type) => type switch
    {
        4 => FileType.Directory,
        8 => FileType.RegularFile,
        10 => FileType.SymbolicLink,
        2 => FileType.CharacterDevice,
        6 => FileType.BlockDevice,
        12 => FileType.SocketStream,
        _ => FileType.Unknown,
    };

    public override void Dispose() => HostCalls.Close(Fd);
}
