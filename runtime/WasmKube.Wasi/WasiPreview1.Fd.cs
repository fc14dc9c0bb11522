using System.Buffers;
using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Descriptors;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi;

// fd_* functions.
public sealed unsafe partial class WasiPreview1
{
    private const int DirentHeaderSize = 24;

    public Errno FdAdvise(Span<byte> memory, int fd, long offset, long length, int advice)
    {
        var error = LookupHost(fd, Rights.FdAdvise, out var host);
        if (error != Errno.Success) return error;
        if ((uint)advice > Advice.Max || offset < 0 || length < 0) return Errno.Inval;
        if (host.Type == FileType.Directory) return Errno.BadF;
        // WASI numbers sequential 1 and random 2; Linux the other way round.
        var linuxAdvice = advice switch { 1 => 2, 2 => 1, _ => advice };
        return ErrnoMap.FromLinux(HostCalls.PosixFadvise(host.Fd, offset, length, linuxAdvice));
    }

    public Errno FdAllocate(Span<byte> memory, int fd, long offset, long length)
    {
        var error = LookupHost(fd, Rights.FdAllocate, out var host);
        if (error != Errno.Success) return error;
        if (offset < 0 || length <= 0) return Errno.Inval;
        if (host.Type == FileType.Directory) return Errno.BadF;
        return ErrnoMap.FromLinux(HostCalls.PosixFallocate(host.Fd, offset, length));
    }

    public Errno FdClose(Span<byte> memory, int fd)
    {
        if (!_context.Remove(fd, out var descriptor)) return Errno.BadF;
        descriptor!.Dispose();
        return Errno.Success;
    }

    public Errno FdDatasync(Span<byte> memory, int fd)
    {
        var error = LookupHost(fd, Rights.FdDatasync, out var host);
        if (error != Errno.Success) return error;
        return HostCalls.Fdatasync(host.Fd) < 0 ? ErrnoMap.Last() : Errno.Success;
    }

    public Errno FdSync(Span<byte> memory, int fd)
    {
        var error = LookupHost(fd, Rights.FdSync, out var host);
        if (error != Errno.Success) return error;
        return HostCalls.Fsync(host.Fd) < 0 ? ErrnoMap.Last() : Errno.Success;
    }

    public Errno FdFdstatGet(Span<byte> memory, int fd, int statPointer)
    {
        if (_context.Get(fd) is not { } descriptor) return Errno.BadF;
        // fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
        var target = new GuestMemory(memory).Slice(statPointer, 24);
        target.Clear();
        target[0] = (byte)descriptor.Type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(target[2..], (ushort)descriptor.Flags);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[8..], (ulong)descriptor.Base);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[16..], (ulong)descriptor.Inheriting);
        return Errno.Success;
    }

    public Errno FdFdstatSetFlags(Span<byte> memory, int fd, int flags)
    {
        var error = Lookup(fd, Rights.FdFdstatSetFlags, out var descriptor);
        if (error != Errno.Success) return error;
        if ((flags & ~0x1F) != 0) return Errno.Inval;
        return descriptor.SetFlags((FdFlags)flags);
    }

    public Errno FdFdstatSetRights(Span<byte> memory, int fd, long rightsBase, long rightsInheriting)
    {
        if (_context.Get(fd) is not { } descriptor) return Errno.BadF;
        var wantedBase = (Rights)rightsBase;
        var wantedInheriting = (Rights)rightsInheriting;
        // Rights only ever shrink (capability attenuation).
        if ((wantedBase & ~descriptor.Base) != 0 || (wantedInheriting & ~descriptor.Inheriting) != 0) return Errno.NotCapable;
        descriptor.Base = wantedBase;
        descriptor.Inheriting = wantedInheriting;
        return Errno.Success;
    }

    public Errno FdFilestatGet(Span<byte> memory, int fd, int statPointer)
    {
        var error = Lookup(fd, Rights.FdFilestatGet, out var descriptor);
        if (error != Errno.Success) return error;
        error = descriptor.GetFilestat(out var stat);
        if (error != Errno.Success) return error;
        stat.WriteTo(new GuestMemory(memory).Slice(statPointer, 64));
        return Errno.Success;
    }

    public Errno FdFilestatSetSize(Span<byte> memory, int fd, long size)
    {
        var error = LookupHost(fd, Rights.FdFilestatSetSize, out var host);
        if (error != Errno.Success) return error;
        if (size < 0) return Errno.Inval;
        return HostCalls.Ftruncate(host.Fd, size) < 0 ? ErrnoMap.Last() : Errno.Success;
    }

    public Errno FdFilestatSetTimes(Span<byte> memory, int fd, long accessTime, long modificationTime, int flags)
    {
        var error = LookupHost(fd, Rights.FdFilestatSetTimes, out var host);
        if (error != Errno.Success) return error;
        if (!TryTimes(accessTime, modificationTime, flags, out var times)) return Errno.Inval;
        fixed (HostCalls.Timespec* t = times)
        {
            return HostCalls.Futimens(host.Fd, t) < 0 ? ErrnoMap.Last() : Errno.Success;
        }
    }

    public Errno FdPrestatGet(Span<byte> memory, int fd, int prestatPointer)
    {
        if (_context.Get(fd) is not HostDescriptor { PreopenName: { } name }) return Errno.BadF;
        // prestat: tag u8 @0 (0 = directory), pr_name_len u32 @4.
        var guest = new GuestMemory(memory);
        guest.Slice(prestatPointer, 8).Clear();
        guest.WriteU32(prestatPointer + 4, (uint)name.Length);
        return Errno.Success;
    }

    public Errno FdPrestatDirName(Span<byte> memory, int fd, int pathPointer, int pathLength)
    {
        if (_context.Get(fd) is not HostDescriptor { PreopenName: { } name }) return Errno.BadF;
        if ((uint)pathLength < (uint)name.Length) return Errno.NameTooLong;
        name.CopyTo(new GuestMemory(memory).Slice(pathPointer, name.Length));
        return Errno.Success;
    }

    public Errno FdRead(Span<byte> memory, int fd, int iovs, int iovsLength, int readPointer)
    {
        var error = Lookup(fd, Rights.FdRead, out var descriptor);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        var vectors = guest.IoVecs(iovs, iovsLength);
        var total = 0u;
        for (var i = 0; i < vectors.Length / 8; i++)
        {
            var (pointer, length) = GuestMemory.IoVec(vectors, i);
            if (length == 0) continue;
            error = descriptor.Read(guest.Slice(pointer, length), out var read, _context.Cancellation);
            if (error != Errno.Success)
            {
                if (total > 0) break; // report what was read; the error comes back on the next call
                return error;
            }

            total += (uint)read;
            // Only a regular file may be read further without blocking again.
            if (read < length || descriptor.Type != FileType.RegularFile) break;
        }

        guest.WriteU32(readPointer, total);
        return Errno.Success;
    }

    public Errno FdPread(Span<byte> memory, int fd, int iovs, int iovsLength, long offset, int readPointer)
    {
        var error = LookupHost(fd, Rights.FdRead | Rights.FdSeek, out var host);
        if (error != Errno.Success) return error;
        if (offset < 0) return Errno.Inval;
        var guest = new GuestMemory(memory);
        var vectors = guest.IoVecs(iovs, iovsLength);
        var total = 0u;
        for (var i = 0; i < vectors.Length / 8; i++)
        {
            var (pointer, length) = GuestMemory.IoVec(vectors, i);
            if (length == 0) continue;
            error = host.Pread(guest.Slice(pointer, length), offset + total, out var read);
            if (error != Errno.Success) return total > 0 ? Errno.Success : error;
            total += (uint)read;
            if (read < length) break;
        }

        guest.WriteU32(readPointer, total);
        return Errno.Success;
    }

    public Errno FdWrite(Span<byte> memory, int fd, int iovs, int iovsLength, int writtenPointer)
    {
        var error = Lookup(fd, Rights.FdWrite, out var descriptor);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        error = Gather(guest, iovs, iovsLength, out var data, out var rented);
        if (error != Errno.Success) return error;
        try
        {
            error = descriptor.Write(data.Span, out var written, _context.Cancellation);
            if (error != Errno.Success) return error;
            guest.WriteU32(writtenPointer, (uint)written);
            return Errno.Success;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public Errno FdPwrite(Span<byte> memory, int fd, int iovs, int iovsLength, long offset, int writtenPointer)
    {
        var error = LookupHost(fd, Rights.FdWrite | Rights.FdSeek, out var host);
        if (error != Errno.Success) return error;
        if (offset < 0) return Errno.Inval;
        var guest = new GuestMemory(memory);
        error = Gather(guest, iovs, iovsLength, out var data, out var rented);
        if (error != Errno.Success) return error;
        try
        {
            error = host.Pwrite(data.Span, offset, out var written);
            if (error != Errno.Success) return error;
            guest.WriteU32(writtenPointer, (uint)written);
            return Errno.Success;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public Errno FdReaddir(Span<byte> memory, int fd, int bufferPointer, int bufferLength, long cookie, int usedPointer)
    {
        var error = Lookup(fd, Rights.FdReaddir, out var descriptor);
        if (error != Errno.Success) return error;
        if (descriptor is not HostDescriptor host) return Errno.NotDir;
        error = host.ReadEntries((ulong)cookie, out var entries);
        if (error != Errno.Success) return error;
        var guest = new GuestMemory(memory);
        var buffer = guest.Slice(bufferPointer, bufferLength);
        var used = 0;
        Span<byte> header = stackalloc byte[DirentHeaderSize];
        // dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20, then the name. Cookies are 1-based
        // positions; an entry that does not fit is cut, which tells the caller to retry with a bigger buffer.
        for (var index = (ulong)cookie; index < (ulong)entries.Count && used < buffer.Length; index++)
        {
            var entry = entries[(int)index];
            header.Clear();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header, index + 1);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header[8..], entry.Inode);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)entry.Name.Length);
            header[20] = (byte)entry.Type;
            used += CopyPart(header, buffer[used..]);
            used += CopyPart(entry.Name, buffer[used..]);
        }

        guest.WriteU32(usedPointer, (uint)used);
        return Errno.Success;
    }

    public Errno FdRenumber(Span<byte> memory, int fd, int to)
    {
        if (_context.Get(fd) is not { } descriptor || _context.Get(to) is not { } replaced) return Errno.BadF;
        if (fd == to) return Errno.Success;
        _context.Remove(fd, out _);
        replaced.Dispose();
        _context.Set(to, descriptor);
        return Errno.Success;
    }

    public Errno FdSeek(Span<byte> memory, int fd, long offset, int whence, int newOffsetPointer)
    {
        // Asking where we are needs only fd_tell, as in the witx rights table.
        var required = offset == 0 && whence == (int)Whence.Cur ? Rights.FdTell : Rights.FdSeek;
        var error = LookupHost(fd, required, out var host);
        if (error != Errno.Success) return error;
        if ((uint)whence > (uint)Whence.End) return Errno.Inval;
        if (host.Type == FileType.Directory) return Errno.BadF;
        var position = HostCalls.Lseek(host.Fd, offset, whence);
        if (position < 0) return ErrnoMap.Last();
        new GuestMemory(memory).WriteU64(newOffsetPointer, (ulong)position);
        return Errno.Success;
    }

    public Errno FdTell(Span<byte> memory, int fd, int offsetPointer)
    {
        var error = LookupHost(fd, Rights.FdTell, out var host);
        if (error != Errno.Success) return error;
        var position = HostCalls.Lseek(host.Fd, 0, (int)Whence.Cur);
        if (position < 0) return ErrnoMap.Last();
        new GuestMemory(memory).WriteU64(offsetPointer, (ulong)position);
        return Errno.Success;
    }

    private static int CopyPart(ReadOnlySpan<byte> source, Span<byte> target)
    {
        var length = Math.Min(source.Length, target.Length);
        source[..length].CopyTo(target);
        return length;
    }

    /// <summary>One contiguous buffer of a ciovec array, so a write reaches the host in one call (whole lines stay whole).</summary>
    private static Errno Gather(GuestMemory guest, int iovs, int count, out ReadOnlyMemory<byte> data, out byte[]? rented)
    {
        rented = null;
        data = ReadOnlyMemory<byte>.Empty;
        var vectors = guest.IoVecs(iovs, count);
        var total = 0L;
        for (var i = 0; i < vectors.Length / 8; i++) total += GuestMemory.IoVec(vectors, i).Length;
        if (total > int.MaxValue) return Errno.Inval;
        if (total == 0) return Errno.Success;
        rented = ArrayPool<byte>.Shared.Rent((int)total);
        var at = 0;
        for (var i = 0; i < vectors.Length / 8; i++)
        {
            var (pointer, length) = GuestMemory.IoVec(vectors, i);
            guest.Slice(pointer, length).CopyTo(rented.AsSpan(at));
            at += (int)length;
        }

        data = rented.AsMemory(0, at);
        return Errno.Success;
    }

    /// <summary>utimensat times from WASI's fstflags: a value, "now", or left alone.</summary>
    private static bool TryTimes(long accessTime, long modificationTime, int flags, out HostCalls.Timespec[] times)
    {
        var fst = (FstFlags)flags;
        times = new HostCalls.Timespec[2];
        if ((flags & ~0xF) != 0) return false;
        if ((fst & (FstFlags.Atim | FstFlags.AtimNow)) == (FstFlags.Atim | FstFlags.AtimNow)) return false;
        if ((fst & (FstFlags.Mtim | FstFlags.MtimNow)) == (FstFlags.Mtim | FstFlags.MtimNow)) return false;
        times[0] = Time(accessTime, (fst & FstFlags.Atim) != 0, (fst & FstFlags.AtimNow) != 0);
        times[1] = Time(modificationTime, (fst & FstFlags.Mtim) != 0, (fst & FstFlags.MtimNow) != 0);
        return true;

        static HostCalls.Timespec Time(long nanoseconds, bool set, bool now) => now
            ? new HostCalls.Timespec { Nanoseconds = HostCalls.UtimeNow }
            : set
                ? new HostCalls.Timespec { Seconds = (long)((ulong)nanoseconds / 1_000_000_000), Nanoseconds = (long)((ulong)nanoseconds % 1_000_000_000) }
                : new HostCalls.Timespec { Nanoseconds = HostCalls.UtimeOmit };
    }
}
