using System.Runtime.InteropServices;

namespace WasmKube.Runtime;

/// <summary>
/// A linear memory: a byte array of whole 64 KiB pages, little-endian. Every access from wasm is bounds checked.
/// Host code reads and writes it through <see cref="Span"/> (valid until the next growth) or the helpers, which
/// throw <see cref="TrapException"/> (<see cref="TrapKind.MemoryOutOfBounds"/>) for out-of-range addresses.
/// </summary>
/// <remarks>
/// The bytes live in native memory so compiled code addresses them through a raw pointer; compiled code caches
/// <see cref="BasePointer"/> and <see cref="ByteLength"/> in locals and reloads them after calls and memory.grow,
/// because growth may move the block. The block is freed when the memory is collected.
/// </remarks>
public sealed unsafe class Memory : IDisposable
{
    internal byte* BasePointer;
    internal ulong ByteLength;

    public Memory(Store store, MemoryType type)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        if (type.Limits.Minimum > MemoryType.MaxPages || type.Limits.Maximum > MemoryType.MaxPages)
        {
            throw new ArgumentException($"memory size must be at most {MemoryType.MaxPages} pages (4 GiB), got {type.Limits}", nameof(type));
        }

        if (type.Limits.Maximum < type.Limits.Minimum)
        {
            throw new ArgumentException($"memory limits {type.Limits} have a maximum below the minimum", nameof(type));
        }

        Store = store;
        Type = type;
        if (type.Limits.Minimum > MaximumPages)
        {
            throw new TrapException(TrapKind.MemoryLimitExceeded, detail:
                $"the memory needs {type.Limits.Minimum} pages but the store allows {MaximumPages}; raise Store.MemoryLimitBytes");
        }

        var bytes = (ulong)type.Limits.Minimum * MemoryType.PageSize;
        BasePointer = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(bytes, 1));
        ByteLength = bytes;
        if (bytes > 0) GC.AddMemoryPressure((long)bytes);
    }

    ~Memory() => Free();

    /// <summary>
    /// Frees the bytes now rather than when the memory is collected. Afterwards the memory has no pages and cannot
    /// grow, so every access from wasm or the host traps instead of touching freed memory.
    /// </summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (BasePointer is null) return;
        NativeMemory.Free(BasePointer);
        if (ByteLength > 0) GC.RemoveMemoryPressure((long)ByteLength);
        BasePointer = null;
        ByteLength = 0;
    }

    public Store Store { get; }

    public MemoryType Type { get; }

    /// <summary>Current size in bytes.</summary>
    public long Length => (long)ByteLength;

    /// <summary>Current size in pages.</summary>
    public uint Pages => (uint)(ByteLength / MemoryType.PageSize);

    /// <summary>The effective page cap: the declared maximum, the 4 GiB limit and the store's memory limit.</summary>
    public uint MaximumPages
    {
        get
        {
            var max = Type.Limits.Maximum ?? MemoryType.MaxPages;
            if (Store.MemoryLimitBytes is { } limit)
            {
                max = (uint)Math.Min(max, Math.Max(0, limit) / MemoryType.PageSize);
            }

            return max;
        }
    }

    /// <summary>The memory as a span. Only valid until the memory grows. Length is at most 2 GiB; use <see cref="GetSpan"/> past that.</summary>
    public Span<byte> Span => new(BasePointer, (int)Math.Min(ByteLength, int.MaxValue));

    /// <summary>A window of the memory, bounds checked.</summary>
    public Span<byte> GetSpan(long address, int length)
    {
        if (address < 0 || length < 0 || (ulong)address + (ulong)length > ByteLength)
        {
            throw new TrapException(TrapKind.MemoryOutOfBounds, detail: $"{length} bytes at {address} exceed the memory's {ByteLength} bytes");
        }

        return new Span<byte>(BasePointer + address, length);
    }

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the old size in pages, or -1 when it may not grow.</summary>
    public int Grow(uint deltaPages)
    {
        if (BasePointer is null) return -1;
        var old = Pages;
        if (deltaPages == 0) return (int)old;
        var pages = (ulong)old + deltaPages;
        if (pages > MaximumPages) return -1;
        var bytes = pages * MemoryType.PageSize;
        byte* grown;
        try
        {
            grown = (byte*)NativeMemory.Realloc(BasePointer, (nuint)bytes);
        }
        catch (OutOfMemoryException)
        {
            return -1;
        }

        NativeMemory.Clear(grown + ByteLength, (nuint)(bytes - ByteLength));
        GC.AddMemoryPressure((long)(bytes - ByteLength));
        BasePointer = grown;
        ByteLength = bytes;
        return (int)old;
    }
}
