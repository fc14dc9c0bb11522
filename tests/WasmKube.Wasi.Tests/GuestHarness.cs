using System.Buffers.Binary;
using System.Text;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

/// <summary>
/// A guest's-eye view of WASI without an engine: a plain byte array as linear memory, a bump allocator for arguments,
/// and helpers that lay out strings, iovecs and results the way wasi-libc does.
/// </summary>
internal sealed class GuestHarness : IDisposable
{
    private int _next = 1024;

    public GuestHarness(WasiConfiguration configuration)
    {
        Context = configuration.Build();
        Wasi = new WasiPreview1(Context);
    }

    public byte[] Memory { get; } = new byte[1 << 20];

    public WasiContext Context { get; }

    public WasiPreview1 Wasi { get; }

    public int Alloc(int size)
    {
        var pointer = _next;
        _next += (size + 15) & ~15;
        if (_next > Memory.Length) throw new InvalidOperationException("test guest memory exhausted");
        return pointer;
    }

    /// <summary>Frees every allocation, for loops that would otherwise exhaust the memory.</summary>
    public void ResetScratch() => _next = 1024;

    public (int Pointer, int Length) Bytes(ReadOnlySpan<byte> data)
    {
        var pointer = Alloc(Math.Max(1, data.Length));
        data.CopyTo(Memory.AsSpan(pointer));
        return (pointer, data.Length);
    }

    public (int Pointer, int Length) Str(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    public uint U32(int pointer) => BinaryPrimitives.ReadUInt32LittleEndian(Memory.AsSpan(pointer));

    public ulong U64(int pointer) => BinaryPrimitives.ReadUInt64LittleEndian(Memory.AsSpan(pointer));

    public string Text(int pointer, int length) => Encoding.UTF8.GetString(Memory, pointer, length);

    /// <summary>An iovec array with one buffer per length; returns the array and the buffers.</summary>
    public (int Iovs, int[] Buffers) IoVecs(params int[] lengths)
    {
        var iovs = Alloc(8 * lengths.Length);
        var buffers = new int[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            buffers[i] = Alloc(Math.Max(1, lengths[i]));
            BinaryPrimitives.WriteUInt32LittleEndian(Memory.AsSpan(iovs + i * 8), (uint)buffers[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(Memory.AsSpan(iovs + i * 8 + 4), (uint)lengths[i]);
        }

        return (iovs, buffers);
    }

    /// <summary>A ciovec array over the given chunks.</summary>
    public int CioVecs(params string[] chunks)
    {
        var iovs = Alloc(8 * chunks.Length);
        for (var i = 0; i < chunks.Length; i++)
        {
            var (pointer, length) = Str(chunks[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(Memory.AsSpan(iovs + i * 8), (uint)pointer);
            BinaryPrimitives.WriteUInt32LittleEndian(Memory.AsSpan(iovs + i * 8 + 4), (uint)length);
        }

        return iovs;
    }

    public Errno Write(int fd, params string[] chunks)
    {
        var result = Alloc(4);
        return Wasi.FdWrite(Memory, fd, CioVecs(chunks), chunks.Length, result);
    }

    /// <summary>Reads up to <paramref name="max"/> bytes with fd_read.</summary>
    public (Errno Error, string Text) Read(int fd, int max = 4096)
    {
        var (iovs, buffers) = IoVecs(max);
        var count = Alloc(4);
        var error = Wasi.FdRead(Memory, fd, iovs, 1, count);
        return (error, error == Errno.Success ? Text(buffers[0], (int)U32(count)) : "");
    }

    /// <summary>path_open relative to <paramref name="dirFd"/>, with the rights wasi-libc asks for.</summary>
    public (Errno Error, int Fd) Open(int dirFd, string path, int oflags = 0, Rights rights = Rights.FileAll | Rights.DirectoryAll,
        bool follow = true, int fdflags = 0)
    {
        var (p, l) = Str(path);
        var fdOut = Alloc(4);
        var error = Wasi.PathOpen(Memory, dirFd, follow ? 1 : 0, p, l, oflags, (long)rights, (long)(Rights.FileAll | Rights.DirectoryAll), fdflags, fdOut);
        return (error, error == Errno.Success ? (int)U32(fdOut) : -1);
    }

    public (Errno Error, FileType Type, ulong Size) Stat(int dirFd, string path, bool follow = true)
    {
        var (p, l) = Str(path);
        var stat = Alloc(64);
        var error = Wasi.PathFilestatGet(Memory, dirFd, follow ? 1 : 0, p, l, stat);
        return (error, (FileType)Memory[stat + 16], U64(stat + 32));
    }

    public Errno Mkdir(int dirFd, string path)
    {
        var (p, l) = Str(path);
        return Wasi.PathCreateDirectory(Memory, dirFd, p, l);
    }

    public Errno Unlink(int dirFd, string path)
    {
        var (p, l) = Str(path);
        return Wasi.PathUnlinkFile(Memory, dirFd, p, l);
    }

    public Errno Rmdir(int dirFd, string path)
    {
        var (p, l) = Str(path);
        return Wasi.PathRemoveDirectory(Memory, dirFd, p, l);
    }

    public Errno Rename(int dirFd, string from, int newDirFd, string to)
    {
        var (fp, fl) = Str(from);
        var (tp, tl) = Str(to);
        return Wasi.PathRename(Memory, dirFd, fp, fl, newDirFd, tp, tl);
    }

    public Errno Symlink(string target, int dirFd, string path)
    {
        var (tp, tl) = Str(target);
        var (p, l) = Str(path);
        return Wasi.PathSymlink(Memory, tp, tl, dirFd, p, l);
    }

    public Errno Link(int dirFd, string from, int newDirFd, string to, bool follow)
    {
        var (fp, fl) = Str(from);
        var (tp, tl) = Str(to);
        return Wasi.PathLink(Memory, dirFd, follow ? 1 : 0, fp, fl, newDirFd, tp, tl);
    }

    public (Errno Error, string Target) Readlink(int dirFd, string path)
    {
        var (p, l) = Str(path);
        var buffer = Alloc(256);
        var used = Alloc(4);
        var error = Wasi.PathReadlink(Memory, dirFd, p, l, buffer, 256, used);
        return (error, error == Errno.Success ? Text(buffer, (int)U32(used)) : "");
    }

    public void Dispose() => Context.Dispose();
}
