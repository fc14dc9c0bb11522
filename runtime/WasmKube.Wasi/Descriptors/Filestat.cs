using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Descriptors;

/// <summary>witx <c>$filestat</c>; times in nanoseconds since the epoch.</summary>
internal readonly record struct Filestat(ulong Device, ulong Inode, FileType Type, ulong LinkCount, ulong Size,
    ulong AccessTime, ulong ModificationTime, ulong StatusChangeTime)
{
    /// <summary>The 64-byte guest layout.</summary>
    public void WriteTo(Span<byte> target)
    {
        target[..64].Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target, Device);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[8..], Inode);
        target[16] = (byte)Type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[24..], LinkCount);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[32..], Size);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[40..], AccessTime);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[48..], ModificationTime);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[56..], StatusChangeTime);
    }
}
