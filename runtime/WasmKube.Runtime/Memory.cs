namespace WasmKube.Runtime;

/// <summary>
/// A linear memory: a byte array of whole 64 KiB pages, little-endian. Every access from wasm is bounds checked.
/// Host code reads and writes it through <see cref="Span"/> (valid until the next growth) or the helpers, which
/// throw <see cref="TrapException"/> (<see cref="TrapKind.MemoryOutOfBounds"/>) for out-of-range addresses.
/// </summary>
public sealed class Memory
{
    public Memory(Store store, MemoryType type) => throw new NotImplementedException();

    public MemoryType Type => throw new NotImplementedException();

    /// <summary>Current size in bytes.</summary>
    public long Length => throw new NotImplementedException();

    /// <summary>Current size in pages.</summary>
    public uint Pages => throw new NotImplementedException();

    /// <summary>The effective page cap: the declared maximum, the 4 GiB limit and the store's memory limit.</summary>
    public uint MaximumPages => throw new NotImplementedException();

    /// <summary>The memory as a span. Only valid until the memory grows. Length is at most 2 GiB; use <see cref="GetSpan"/> past that.</summary>
    public Span<byte> Span => throw new NotImplementedException();

    /// <summary>A window of the memory, bounds checked.</summary>
    public Span<byte> GetSpan(long address, int length) => throw new NotImplementedException();

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the old size in pages, or -1 when it may not grow.</summary>
    public int Grow(uint deltaPages) => throw new NotImplementedException();
}
