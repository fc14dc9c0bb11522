using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Binary;

/// <summary>
/// Reads the instructions of a function body (or constant expression) one at a time, without allocating
/// (spec §5.4). Malformed encodings (illegal opcodes, bad LEB128, non-zero reserved bytes, truncation) throw
/// <see cref="MalformedModuleException"/> with the module offset. The reader does not track nesting: the final
/// <c>end</c> is returned like any other, and callers that need structure (validator, compiler) count blocks.
/// <example>
/// <code>
/// var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
/// while (!reader.AtEnd)
/// {
///     reader.Read(out var instruction);          // instruction.Offset = module offset of the opcode
///     switch (instruction.Opcode)
///     {
///         case Opcode.I32Const: Emit(instruction.I32); break;
///         case Opcode.BrTable:
///             foreach (var depth in reader.GetBranchTargets(instruction)) { ... }
///             var defaultDepth = instruction.SecondIndex;
///             break;
///     }
/// }
/// </code>
/// </example>
/// </summary>
public ref struct InstructionReader
{
    /// <summary>The reason reported when the code ends inside an instruction.</summary>
    public const string UnexpectedEndReason = "unexpected end of section or function";

    private const string Section = "code";

    private readonly ReadOnlySpan<byte> code;
    private readonly int baseOffset;
    private int position;

    /// <param name="code">The instruction bytes, e.g. <see cref="Model.FunctionBody.Code"/>.</param>
    /// <param name="baseOffset">Module offset of <paramref name="code"/>[0], e.g. <see cref="Model.FunctionBody.CodeOffset"/>; offsets reported are relative to it.</param>
    public InstructionReader(ReadOnlySpan<byte> code, int baseOffset = 0)
    {
        this.code = code;
        this.baseOffset = baseOffset;
        position = 0;
    }

    /// <summary>Position of the next instruction within the code.</summary>
    public readonly int Position => position;

    /// <summary>Module offset of the next instruction (<see cref="Position"/> plus the base offset).</summary>
    public readonly int Offset => baseOffset + position;

    public readonly bool AtEnd => position >= code.Length;

    /// <summary>Decodes the next instruction and advances past it.</summary>
    public void Read(out Instruction instruction)
    {
        instruction = default;
        var start = position;
        instruction.Offset = baseOffset + start;
        var first = ReadByte();
        uint code32 = first;
        byte prefix = 0;
        if (first is 0xFC or 0xFD)
        {
            prefix = first;
            code32 = ReadU32();
        }

        var kind = OpcodeTable.Lookup(prefix, code32);
        if (kind == ImmediateKind.Illegal)
        {
            throw Malformed("illegal opcode", start);
        }

        instruction.Opcode = (Opcode)(prefix == 0 ? (int)code32 : (prefix << 16) | (int)code32);
        switch (kind)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.BlockType:
                instruction.BlockType = ReadBlockType();
                break;
            case ImmediateKind.Index:
                instruction.Index = ReadU32();
                break;
            case ImmediateKind.TwoIndices:
            case ImmediateKind.CallIndirect:
                instruction.Index = ReadU32();
                instruction.SecondIndex = ReadU32();
                break;
            case ImmediateKind.BranchTable:
                instruction.Index = ReadU32();
                instruction.BranchTableStart = position;
                for (var i = 0u; i < instruction.Index; i++)
                {
                    ReadU32();
                }

                instruction.SecondIndex = ReadU32();
                break;
            case ImmediateKind.SelectTyped:
                instruction.Index = ReadU32();
                for (var i = 0u; i < instruction.Index; i++)
                {
                    var type = ReadValueType();
                    if (i == 0)
                    {
                        instruction.ValueType = type;
                    }
                }

                break;
            case ImmediateKind.MemArg:
                instruction.Alignment = ReadU32();
                instruction.MemoryOffset = ReadU32();
                break;
            case ImmediateKind.MemArgLane:
                instruction.Alignment = ReadU32();
                instruction.MemoryOffset = ReadU32();
                instruction.Lane = ReadByte();
                break;
            case ImmediateKind.ZeroByte:
                ReadZeroByte();
                break;
            case ImmediateKind.IndexZeroByte:
                instruction.Index = ReadU32();
                ReadZeroByte();
                break;
            case ImmediateKind.TwoZeroBytes:
                ReadZeroByte();
                ReadZeroByte();
                break;
            case ImmediateKind.I32:
                instruction.Immediate = ReadS32();
                break;
            case ImmediateKind.I64:
                instruction.Immediate = ReadS64();
                break;
            case ImmediateKind.F32:
                instruction.Immediate = BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));
                break;
            case ImmediateKind.F64:
                instruction.Immediate = BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));
                break;
            case ImmediateKind.RefNull:
                instruction.ValueType = ReadReferenceType();
                break;
            case ImmediateKind.Lane:
                instruction.Lane = ReadByte();
                break;
            case ImmediateKind.Bytes16:
                instruction.V128 = Vector128.Create(ReadBytes(16));
                break;
            default:
                throw new UnreachableException($"immediate kind {kind}");
        }
    }

    /// <summary>The labels of a <c>br_table</c> read by this reader, excluding the default (<see cref="Instruction.SecondIndex"/>).</summary>
    public readonly BranchTargetEnumerator GetBranchTargets(in Instruction instruction) =>
        new(code, instruction.BranchTableStart, instruction.Index);

    /// <summary>Enumerates br_table label depths by re-reading their LEB128 encodings (already checked by <see cref="Read"/>).</summary>
    public ref struct BranchTargetEnumerator
    {
        private readonly ReadOnlySpan<byte> code;
        private int position;
        private uint remaining;

        internal BranchTargetEnumerator(ReadOnlySpan<byte> code, int position, uint count)
        {
            this.code = code;
            this.position = position;
            remaining = count;
            Current = 0;
        }

        public uint Current { get; private set; }

        public readonly BranchTargetEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (remaining == 0)
            {
                return false;
            }

            remaining--;
            Leb128.ReadUInt32(code, ref position, out var depth);
            Current = depth;
            return true;
        }
    }

    private BlockType ReadBlockType()
    {
        var b = PeekByte();
        if (b == 0x40)
        {
            position++;
            return BlockType.Empty;
        }

        if (IsValueType(b))
        {
            position++;
            return BlockType.Of((ValueType)b);
        }

        var start = position;
        var error = Leb128.ReadInt33(code, ref position, out var index);
        ThrowIfError(error);
        if (index < 0)
        {
            throw Malformed("malformed value type", start);
        }

        return BlockType.OfTypeIndex((uint)index);
    }

    private ValueType ReadValueType()
    {
        var start = position;
        var b = ReadByte();
        return IsValueType(b) ? (ValueType)b : throw Malformed("malformed value type", start);
    }

    private ValueType ReadReferenceType()
    {
        var start = position;
        var b = ReadByte();
        return b is (byte)ValueType.FuncRef or (byte)ValueType.ExternRef
            ? (ValueType)b
            : throw Malformed("malformed reference type", start);
    }

    internal static bool IsValueType(byte b) => b is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F;

    private void ReadZeroByte()
    {
        var start = position;
        if (ReadByte() != 0)
        {
            throw Malformed("zero byte expected", start);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte ReadByte()
    {
        if ((uint)position >= (uint)code.Length)
        {
            throw Malformed(UnexpectedEndReason, position);
        }

        return code[position++];
    }

    private readonly byte PeekByte() =>
        (uint)position < (uint)code.Length ? code[position] : throw Malformed(UnexpectedEndReason, position);

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (code.Length - position < count)
        {
            throw Malformed(UnexpectedEndReason, code.Length);
        }

        var bytes = code.Slice(position, count);
        position += count;
        return bytes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ReadU32()
    {
        // Fast path: one-byte encodings are by far the most common.
        if ((uint)position < (uint)code.Length && code[position] < 0x80)
        {
            return code[position++];
        }

        ThrowIfError(Leb128.ReadUInt32(code, ref position, out var value));
        return value;
    }

    private int ReadS32()
    {
        ThrowIfError(Leb128.ReadInt32(code, ref position, out var value));
        return value;
    }

    private long ReadS64()
    {
        ThrowIfError(Leb128.ReadInt64(code, ref position, out var value));
        return value;
    }

    private readonly void ThrowIfError(Leb128Error error)
    {
        if (error != Leb128Error.None)
        {
            throw Malformed(error == Leb128Error.UnexpectedEnd ? UnexpectedEndReason : Leb128.Describe(error), position);
        }
    }

    private readonly MalformedModuleException Malformed(string reason, int at) =>
        new(reason, baseOffset + at, Section);
}
