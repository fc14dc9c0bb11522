using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Descriptors;

/// <summary>An entry of the guest's fd table: what it is, what it may do, and how to do it.</summary>
internal abstract class Descriptor : IDisposable
{
    public FileType Type { get; protected init; }

    public Rights Base { get; set; }

    public Rights Inheriting { get; set; }

    public FdFlags Flags { get; set; }

    /// <summary>The host fd that poll(2) can wait on, or -1 when the descriptor is always ready (memory streams).</summary>
    public virtual int PollHandle => -1;

    public virtual Errno Read(Span<byte> buffer, out int read, CancellationToken cancellation)
    {
        read = 0;
        return Errno.BadF;
    }

    public virtual Errno Write(ReadOnlySpan<byte> data, out int written, CancellationToken cancellation)
    {
        written = 0;
        return Errno.BadF;
    }

    public virtual Errno SetFlags(FdFlags flags)
    {
        Flags = flags;
        return Errno.Success;
    }

    public virtual Errno GetFilestat(out Filestat stat)
    {
        stat = new Filestat(0, 0, Type, 1, 0, 0, 0, 0);
        return Errno.Success;
    }

    public abstract void Dispose();
}
