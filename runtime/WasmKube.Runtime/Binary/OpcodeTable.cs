namespace WasmKube.Runtime.Binary;

/// <summary>
/// Immediate shapes of every opcode, as flat tables indexed by the byte (single-byte opcodes) or the subopcode
/// (0xFC and 0xFD prefixes), so that decoding an opcode costs one array load.
/// </summary>
internal static class OpcodeTable
{
    private static readonly ImmediateKind[] Plain = Build(0x00);
    private static readonly ImmediateKind[] Misc = Build(0xFC);
    private static readonly ImmediateKind[] Simd = Build(0xFD);

    /// <summary>The immediate kind of a single-byte opcode, or of a subopcode of prefix 0xFC/0xFD.</summary>
    public static ImmediateKind Lookup(byte prefix, uint code)
    {
        var table = prefix switch
        {
            0xFC => Misc,
            0xFD => Simd,
            _ => Plain,
        };
        return code < (uint)table.Length ? table[code] : ImmediateKind.Illegal;
    }

    private static ImmediateKind[] Build(int prefix)
    {
        var table = new ImmediateKind[256];
        foreach (var opcode in Enum.GetValues<Opcode>())
        {
            var value = (int)opcode;
            if ((value >> 16) == prefix)
            {
                table[value & 0xFFFF] = KindOf(opcode);
            }
        }

        return table;
    }

    private static ImmediateKind KindOf(Opcode opcode) => opcode switch
    {
        Opcode.Block or Opcode.Loop or Opcode.If => ImmediateKind.BlockType,
        Opcode.Br or Opcode.BrIf or Opcode.Call or Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee
            or Opcode.GlobalGet or Opcode.GlobalSet or Opcode.TableGet or Opcode.TableSet or Opcode.RefFunc
            or Opcode.DataDrop or Opcode.ElemDrop or Opcode.TableGrow or Opcode.TableSize or Opcode.TableFill
            => ImmediateKind.Index,
        Opcode.TableInit or Opcode.TableCopy => ImmediateKind.TwoIndices,
        Opcode.BrTable => ImmediateKind.BranchTable,
        Opcode.CallIndirect => ImmediateKind.CallIndirect,
        Opcode.SelectTyped => ImmediateKind.SelectTyped,
        >= Opcode.I32Load and <= Opcode.I64Store32 => ImmediateKind.MemArg,
        >= Opcode.V128Load and <= Opcode.V128Store => ImmediateKind.MemArg,
        Opcode.V128Load32Zero or Opcode.V128Load64Zero => ImmediateKind.MemArg,
        >= Opcode.V128Load8Lane and <= Opcode.V128Store64Lane => ImmediateKind.MemArgLane,
        Opcode.MemorySize or Opcode.MemoryGrow or Opcode.MemoryFill => ImmediateKind.ZeroByte,
        Opcode.MemoryInit => ImmediateKind.IndexZeroByte,
        Opcode.MemoryCopy => ImmediateKind.TwoZeroBytes,
        Opcode.I32Const => ImmediateKind.I32,
        Opcode.I64Const => ImmediateKind.I64,
        Opcode.F32Const => ImmediateKind.F32,
        Opcode.F64Const => ImmediateKind.F64,
        Opcode.RefNull => ImmediateKind.RefNull,
        >= Opcode.I8x16ExtractLaneS and <= Opcode.F64x2ReplaceLane => ImmediateKind.Lane,
        Opcode.V128Const or Opcode.I8x16Shuffle => ImmediateKind.Bytes16,
        _ => ImmediateKind.None,
    };
}
