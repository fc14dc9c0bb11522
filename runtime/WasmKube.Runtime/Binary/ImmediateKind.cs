namespace WasmKube.Runtime.Binary;

/// <summary>The shape of an opcode's immediates in the binary format (spec §5.4).</summary>
internal enum ImmediateKind : byte
{
    /// <summary>Not a WebAssembly 2.0 opcode.</summary>
    Illegal,
    None,
    BlockType,
    Index,
    TwoIndices,
    BranchTable,
    CallIndirect,
    SelectTyped,
    MemArg,
    MemArgLane,
    /// <summary>memory.size, memory.grow, memory.fill: a reserved memory index byte that must be zero.</summary>
    ZeroByte,
    /// <summary>memory.init: a data index, then a reserved zero byte.</summary>
    IndexZeroByte,
    /// <summary>memory.copy: two reserved zero bytes.</summary>
    TwoZeroBytes,
    I32,
    I64,
    F32,
    F64,
    RefNull,
    Lane,
    Bytes16,
}
