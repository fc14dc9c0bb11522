using System.Buffers.Binary;

namespace WasmKube.Wasi;

/// <summary>
/// Bounds-checked little-endian access to a guest's linear memory for the WASI functions. A pointer outside memory
/// traps (out of bounds memory access), as a load or store by the guest itself would.
/// </summary>
internal readonly ref struct GuestMemory
{
    private readonly Span<byte> _bytes;

    public GuestMemory(Span<byte> bytes) => _bytes = bytes;

    public Span<byte> Slice(int pointer, int length) => Slice((uint)pointer, (uint)length);

    public Span<byte> Slice(uint pointer, uint length) => Checked(pointer, length);

    /// <summary>
    /// An array of <paramref name="count"/> elements (both guest u32), checked whole in 64 bits: a count whose size
    /// does not fit in memory traps like any pointer outside it, whatever the product would wrap to in 32 bits.
    /// </summary>
    public Span<byte> Array(int pointer, int count, int elementSize) => Checked((uint)pointer, (ulong)(uint)count * (uint)elementSize);

    /// <summary>An iovec/ciovec array: <paramref name="count"/> (buf u32, buf_len u32) pairs, read with <see cref="IoVec"/>.</summary>
    public ReadOnlySpan<byte> IoVecs(int array, int count) => Array(array, count, 8);

    public static (uint Pointer, uint Length) IoVec(ReadOnlySpan<byte> iovecs, int index)
    {
        var entry = iovecs.Slice(index * 8, 8);
        return (BinaryPrimitives.ReadUInt32LittleEndian(entry), BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]));
    }

    private Span<byte> Checked(uint pointer, ulong length)
    {
        if (pointer + length > (ulong)_bytes.Length)
            throw new WasiTrapException(WasiTrapKind.MemoryOutOfBounds, $"out of bounds memory access: WASI argument 0x{pointer:x}+{length} is outside the guest's {_bytes.Length} bytes of memory");
        return _bytes.Slice((int)pointer, (int)length);
    }

    public byte ReadU8(int pointer) => Slice(pointer, 1)[0];

    public ushort ReadU16(int pointer) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(pointer, 2));

    public uint ReadU32(int pointer) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(pointer, 4));

    public ulong ReadU64(int pointer) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(pointer, 8));

    public void WriteU8(int pointer, byte value) => Slice(pointer, 1)[0] = value;

    public void WriteU16(int pointer, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Slice(pointer, 2), value);

    public void WriteU32(int pointer, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(pointer, 4), value);

    public void WriteU64(int pointer, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Slice(pointer, 8), value);
}
