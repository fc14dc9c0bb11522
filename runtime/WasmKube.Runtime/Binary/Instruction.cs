using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Binary;

/// <summary>
/// One decoded instruction: its opcode, where it starts and its immediates. Filled by
/// <see cref="InstructionReader.Read"/>; fields that an opcode does not use are zero. Immediates by opcode:
/// <list type="table">
/// <item><term>block, loop, if</term><description><see cref="BlockType"/></description></item>
/// <item><term>br, br_if</term><description><see cref="Index"/> = label depth</description></item>
/// <item><term>br_table</term><description><see cref="Index"/> = number of labels before the default,
///   <see cref="SecondIndex"/> = default label; the labels come from <see cref="InstructionReader.GetBranchTargets"/></description></item>
/// <item><term>call, ref.func</term><description><see cref="Index"/> = function index</description></item>
/// <item><term>call_indirect</term><description><see cref="Index"/> = type index, <see cref="SecondIndex"/> = table index</description></item>
/// <item><term>select t</term><description><see cref="Index"/> = number of types (1 in a valid module), <see cref="ValueType"/> = the first</description></item>
/// <item><term>local.*, global.*</term><description><see cref="Index"/> = local or global index</description></item>
/// <item><term>table.get/set/size/grow/fill</term><description><see cref="Index"/> = table index</description></item>
/// <item><term>loads, stores (incl. v128)</term><description><see cref="Alignment"/> (log2 bytes), <see cref="MemoryOffset"/>; <see cref="Index"/> = memory (always 0)</description></item>
/// <item><term>v128.loadN_lane/storeN_lane</term><description>memarg as above plus <see cref="Lane"/></description></item>
/// <item><term>memory.size/grow/fill</term><description><see cref="Index"/> = memory (always 0)</description></item>
/// <item><term>memory.init</term><description><see cref="Index"/> = data segment, <see cref="SecondIndex"/> = memory</description></item>
/// <item><term>data.drop</term><description><see cref="Index"/> = data segment</description></item>
/// <item><term>memory.copy</term><description><see cref="Index"/> = destination memory, <see cref="SecondIndex"/> = source memory</description></item>
/// <item><term>table.init</term><description><see cref="Index"/> = element segment, <see cref="SecondIndex"/> = table</description></item>
/// <item><term>elem.drop</term><description><see cref="Index"/> = element segment</description></item>
/// <item><term>table.copy</term><description><see cref="Index"/> = destination table, <see cref="SecondIndex"/> = source table</description></item>
/// <item><term>i32.const, i64.const</term><description><see cref="Immediate"/> = the value, sign-extended to 64 bits (<see cref="I32"/>, <see cref="I64"/>)</description></item>
/// <item><term>f32.const, f64.const</term><description><see cref="Immediate"/> = raw IEEE bits, zero-extended (<see cref="F32Bits"/>, <see cref="F64Bits"/>)</description></item>
/// <item><term>ref.null</term><description><see cref="ValueType"/> = funcref or externref</description></item>
/// <item><term>*.extract_lane, *.replace_lane</term><description><see cref="Lane"/></description></item>
/// <item><term>v128.const, i8x16.shuffle</term><description><see cref="V128"/> = the 16 immediate bytes</description></item>
/// </list>
/// </summary>
public struct Instruction
{
    public Opcode Opcode { get; internal set; }

    /// <summary>
    /// Where the opcode starts: the module byte offset when the reader was given the body's
    /// <see cref="Model.FunctionBody.CodeOffset"/>, otherwise the offset within the code.
    /// </summary>
    public int Offset { get; internal set; }

    public uint Index { get; internal set; }

    public uint SecondIndex { get; internal set; }

    public BlockType BlockType { get; internal set; }

    /// <summary>log2 of the alignment hint of a memory access.</summary>
    public uint Alignment { get; internal set; }

    /// <summary>The constant offset of a memory access, added to the dynamic address.</summary>
    public uint MemoryOffset { get; internal set; }

    public byte Lane { get; internal set; }

    public long Immediate { get; internal set; }

    public ValueType ValueType { get; internal set; }

    public Vector128<byte> V128 { get; internal set; }

    /// <summary>Position in the code (not the module) of a br_table's first label.</summary>
    internal int BranchTableStart { get; set; }

    public readonly int I32 => (int)Immediate;

    public readonly long I64 => Immediate;

    public readonly uint F32Bits => (uint)Immediate;

    public readonly ulong F64Bits => (ulong)Immediate;

    public override readonly string ToString() => OpcodeNames.Of(Opcode);
}
