using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Validation;

/// <summary>
/// Type-checks function bodies with the operand and control stacks of the spec's validation algorithm (appendix
/// §A.3), including the polymorphic stack after unconditional branches. One instance is reused for every body of a
/// module; its stacks only grow, so the per-instruction loop does not allocate.
/// </summary>
internal sealed class FunctionValidator
{
    /// <summary>A stack slot whose type is not known (popped from the polymorphic base of unreachable code).</summary>
    private const ValueType Unknown = 0;

    private static readonly ImmutableArray<ValueType>[] SingleResults = CreateSingleResults();

    private readonly ModuleContext context;
    private ValueType[] operands = new ValueType[64];
    private int operandCount;
    private ControlFrame[] frames = new ControlFrame[16];
    private int frameCount;

    // The innermost frame's height and reachability, mirrored here because every pop consults them.
    private int height;
    private bool unreachable;
    private ValueType[] locals = new ValueType[16];
    private int localCount;
    private ValueType[] scratch = new ValueType[16];
    private ImmutableArray<ValueType> functionResults;
    private int functionIndex;
    private int offset;

    public FunctionValidator(ModuleContext context) => this.context = context;

    private struct ControlFrame
    {
        public Opcode Opcode;
        public ImmutableArray<ValueType> Parameters;
        public ImmutableArray<ValueType> Results;
        public int Height;
        public bool Unreachable;

        public readonly ImmutableArray<ValueType> LabelTypes => Opcode == Opcode.Loop ? Parameters : Results;
    }

    public void Validate(int index, FunctionType type, FunctionBody body)
    {
        functionIndex = index;
        offset = body.CodeOffset;
        operandCount = 0;
        frameCount = 0;
        SetLocals(type.Parameters, body.Locals);
        functionResults = type.Results;
        PushFrame(Opcode.Block, [], type.Results);

        var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
        while (frameCount > 0)
        {
            if (reader.AtEnd)
            {
                // The decoder guarantees a final `end`; this guards against hand-built definitions.
                throw Invalid("END opcode expected");
            }

            offset = reader.Offset;
            reader.Read(out var instruction);
            Check(ref reader, in instruction);
        }
    }

    private void SetLocals(ImmutableArray<ValueType> parameters, ImmutableArray<ValueType> declared)
    {
        localCount = parameters.Length + declared.Length;
        if (locals.Length < localCount)
        {
            locals = new ValueType[localCount];
        }

        parameters.CopyTo(locals);
        declared.CopyTo(locals, parameters.Length);
    }

    private void Check(ref InstructionReader reader, in Instruction instruction)
    {
        var opcode = instruction.Opcode;
        switch (opcode)
        {
            case Opcode.Unreachable:
                MarkUnreachable();
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block or Opcode.Loop:
                {
                    var (parameters, results) = BlockSignature(instruction.BlockType);
                    PopValues(parameters);
                    PushFrame(opcode, parameters, results);
                    break;
                }

            case Opcode.If:
                {
                    var (parameters, results) = BlockSignature(instruction.BlockType);
                    Pop(ValueType.I32);
                    PopValues(parameters);
                    PushFrame(opcode, parameters, results);
                    break;
                }

            case Opcode.Else:
                {
                    ref var frame = ref frames[frameCount - 1];
                    if (frame.Opcode != Opcode.If)
                    {
                        throw Invalid("type mismatch");
                    }

                    PopValues(frame.Results);
                    CheckFrameHeight(in frame);
                    frame.Opcode = Opcode.Else;
                    frame.Unreachable = false;
                    unreachable = false;
                    PushValues(frame.Parameters);
                    break;
                }

            case Opcode.End:
                {
                    ref var frame = ref frames[frameCount - 1];
                    PopValues(frame.Results);
                    CheckFrameHeight(in frame);
                    if (frame.Opcode == Opcode.If)
                    {
                        // No else branch: it passes the parameters through, so they must match the results.
                        frame.Unreachable = false;
                        unreachable = false;
                        PushValues(frame.Parameters);
                        PopValues(frame.Results);
                        CheckFrameHeight(in frame);
                    }

                    var results = frame.Results;
                    frameCount--;
                    if (frameCount > 0)
                    {
                        ref var outer = ref frames[frameCount - 1];
                        height = outer.Height;
                        unreachable = outer.Unreachable;
                    }

                    PushValues(results);
                    break;
                }

            case Opcode.Br:
                PopValues(Label(instruction.Index).LabelTypes);
                MarkUnreachable();
                break;
            case Opcode.BrIf:
                {
                    Pop(ValueType.I32);
                    var types = Label(instruction.Index).LabelTypes;
                    PopValues(types);
                    PushValues(types);
                    break;
                }

            case Opcode.BrTable:
                CheckBranchTable(ref reader, in instruction);
                break;
            case Opcode.Return:
                PopValues(functionResults);
                MarkUnreachable();
                break;
            case Opcode.Call:
                {
                    var type = Function(instruction.Index);
                    PopValues(type.Parameters);
                    PushValues(type.Results);
                    break;
                }

            case Opcode.CallIndirect:
                {
                    var table = Table(instruction.SecondIndex);
                    var type = TypeAt(instruction.Index);
                    if (table.ElementType != ValueType.FuncRef)
                    {
                        throw Invalid("type mismatch");
                    }

                    Pop(ValueType.I32);
                    PopValues(type.Parameters);
                    PushValues(type.Results);
                    break;
                }

            case Opcode.Drop:
                Pop();
                break;
            case Opcode.Select:
                {
                    Pop(ValueType.I32);
                    var first = Pop();
                    var second = Pop();
                    if (IsReference(first) || IsReference(second))
                    {
                        throw Invalid("type mismatch");
                    }

                    if (first != second && first != Unknown && second != Unknown)
                    {
                        throw Invalid("type mismatch");
                    }

                    Push(first == Unknown ? second : first);
                    break;
                }

            case Opcode.SelectTyped:
                {
                    if (instruction.Index != 1)
                    {
                        throw Invalid("invalid result arity");
                    }

                    var type = instruction.ValueType;
                    Pop(ValueType.I32);
                    Pop(type);
                    Pop(type);
                    Push(type);
                    break;
                }

            case Opcode.LocalGet:
                Push(Local(instruction.Index));
                break;
            case Opcode.LocalSet:
                Pop(Local(instruction.Index));
                break;
            case Opcode.LocalTee:
                {
                    var type = Local(instruction.Index);
                    Pop(type);
                    Push(type);
                    break;
                }

            case Opcode.GlobalGet:
                Push(Global(instruction.Index).ValueType);
                break;
            case Opcode.GlobalSet:
                {
                    var global = Global(instruction.Index);
                    if (!global.Mutable)
                    {
                        throw Invalid("global is immutable");
                    }

                    Pop(global.ValueType);
                    break;
                }

            case Opcode.TableGet:
                {
                    var table = Table(instruction.Index);
                    Pop(ValueType.I32);
                    Push(table.ElementType);
                    break;
                }

            case Opcode.TableSet:
                {
                    var table = Table(instruction.Index);
                    Pop(table.ElementType);
                    Pop(ValueType.I32);
                    break;
                }

            case Opcode.TableSize:
                Table(instruction.Index);
                Push(ValueType.I32);
                break;
            case Opcode.TableGrow:
                {
                    var table = Table(instruction.Index);
                    Pop(ValueType.I32);
                    Pop(table.ElementType);
                    Push(ValueType.I32);
                    break;
                }

            case Opcode.TableFill:
                {
                    var table = Table(instruction.Index);
                    Pop(ValueType.I32);
                    Pop(table.ElementType);
                    Pop(ValueType.I32);
                    break;
                }

            case Opcode.TableCopy:
                {
                    var destination = Table(instruction.Index);
                    var source = Table(instruction.SecondIndex);
                    if (destination.ElementType != source.ElementType)
                    {
                        throw Invalid("type mismatch");
                    }

                    PopCount(ValueType.I32, 3);
                    break;
                }

            case Opcode.TableInit:
                {
                    var table = Table(instruction.SecondIndex);
                    var segment = Element(instruction.Index);
                    if (table.ElementType != segment.Type)
                    {
                        throw Invalid("type mismatch");
                    }

                    PopCount(ValueType.I32, 3);
                    break;
                }

            case Opcode.ElemDrop:
                Element(instruction.Index);
                break;
            case Opcode.MemorySize:
                RequireMemory(instruction.Index);
                Push(ValueType.I32);
                break;
            case Opcode.MemoryGrow:
                RequireMemory(instruction.Index);
                Pop(ValueType.I32);
                Push(ValueType.I32);
                break;
            case Opcode.MemoryFill:
            case Opcode.MemoryCopy:
                RequireMemory(instruction.Index);
                PopCount(ValueType.I32, 3);
                break;
            case Opcode.MemoryInit:
                RequireMemory(instruction.SecondIndex);
                RequireData(instruction.Index);
                PopCount(ValueType.I32, 3);
                break;
            case Opcode.DataDrop:
                RequireData(instruction.Index);
                break;
            case Opcode.I32Const:
                Push(ValueType.I32);
                break;
            case Opcode.I64Const:
                Push(ValueType.I64);
                break;
            case Opcode.F32Const:
                Push(ValueType.F32);
                break;
            case Opcode.F64Const:
                Push(ValueType.F64);
                break;
            case Opcode.V128Const:
                Push(ValueType.V128);
                break;
            case Opcode.RefNull:
                Push(instruction.ValueType);
                break;
            case Opcode.RefIsNull:
                {
                    var type = Pop();
                    if (type != Unknown && !IsReference(type))
                    {
                        throw Invalid("type mismatch");
                    }

                    Push(ValueType.I32);
                    break;
                }

            case Opcode.RefFunc:
                Function(instruction.Index);
                if (!context.DeclaredReferences[instruction.Index])
                {
                    throw Invalid("undeclared function reference");
                }

                Push(ValueType.FuncRef);
                break;
            case Opcode.I8x16Shuffle:
                {
                    var lanes = instruction.V128;
                    for (var i = 0; i < 16; i++)
                    {
                        if (lanes.GetElement(i) >= 32)
                        {
                            throw Invalid("invalid lane index");
                        }
                    }

                    Pop(ValueType.V128);
                    Pop(ValueType.V128);
                    Push(ValueType.V128);
                    break;
                }

            default:
                CheckOther(in instruction);
                break;
        }
    }

    /// <summary>Memory accesses, lane operations and the plain operators of <see cref="OperatorSignatures"/>.</summary>
    private void CheckOther(in Instruction instruction)
    {
        var opcode = instruction.Opcode;
        var signature = OperatorSignatures.Of(opcode);
        if (signature.IsDefined)
        {
            CheckOperator(signature);
            return;
        }

        var access = MemoryAccess.Of(opcode);
        if (access.IsDefined)
        {
            RequireMemory(0);
            if (instruction.Alignment > access.NaturalAlignment)
            {
                throw Invalid("alignment must not be larger than natural");
            }

            if (access.Lanes != 0 && instruction.Lane >= access.Lanes)
            {
                throw Invalid("invalid lane index");
            }

            if (access.IsStore)
            {
                Pop(access.ValueType);
                Pop(ValueType.I32);
            }
            else if (access.Lanes != 0)
            {
                Pop(ValueType.V128);
                Pop(ValueType.I32);
                Push(ValueType.V128);
            }
            else
            {
                Pop(ValueType.I32);
                Push(access.ValueType);
            }

            return;
        }

        if (opcode is >= Opcode.I8x16ExtractLaneS and <= Opcode.F64x2ReplaceLane)
        {
            var (lanes, scalar, replace) = LaneOperation(opcode);
            if (instruction.Lane >= lanes)
            {
                throw Invalid("invalid lane index");
            }

            if (replace)
            {
                Pop(scalar);
                Pop(ValueType.V128);
                Push(ValueType.V128);
            }
            else
            {
                Pop(ValueType.V128);
                Push(scalar);
            }

            return;
        }

        throw Invalid($"unsupported instruction {OpcodeNames.Of(opcode)}");
    }

    private void CheckOperator(OperatorSignature signature)
    {
        switch (signature.OperandCount)
        {
            case 3:
                Pop(signature.Third);
                Pop(signature.Second);
                Pop(signature.First);
                break;
            case 2:
                Pop(signature.Second);
                Pop(signature.First);
                break;
            case 1:
                Pop(signature.First);
                break;
        }

        if (signature.Result != 0)
        {
            Push(signature.Result);
        }
    }

    private static (int Lanes, ValueType Scalar, bool Replace) LaneOperation(Opcode opcode) => opcode switch
    {
        Opcode.I8x16ExtractLaneS or Opcode.I8x16ExtractLaneU => (16, ValueType.I32, false),
        Opcode.I8x16ReplaceLane => (16, ValueType.I32, true),
        Opcode.I16x8ExtractLaneS or Opcode.I16x8ExtractLaneU => (8, ValueType.I32, false),
        Opcode.I16x8ReplaceLane => (8, ValueType.I32, true),
        Opcode.I32x4ExtractLane => (4, ValueType.I32, false),
        Opcode.I32x4ReplaceLane => (4, ValueType.I32, true),
        Opcode.I64x2ExtractLane => (2, ValueType.I64, false),
        Opcode.I64x2ReplaceLane => (2, ValueType.I64, true),
        Opcode.F32x4ExtractLane => (4, ValueType.F32, false),
        Opcode.F32x4ReplaceLane => (4, ValueType.F32, true),
        Opcode.F64x2ExtractLane => (2, ValueType.F64, false),
        _ => (2, ValueType.F64, true),
    };

    /// <summary>
    /// br_table (appendix §A.3): every label must exist and carry as many values as the default label, and the
    /// operands must fit each label's types.
    /// </summary>
    private void CheckBranchTable(ref InstructionReader reader, in Instruction instruction)
    {
        Pop(ValueType.I32);
        var defaultTypes = Label(instruction.SecondIndex).LabelTypes;
        var arity = defaultTypes.Length;
        foreach (var depth in reader.GetBranchTargets(instruction))
        {
            var types = Label(depth).LabelTypes;
            if (types.Length != arity)
            {
                throw Invalid("type mismatch");
            }

            // Pop and push back what was popped: in unreachable code this materializes unknown operands.
            if (scratch.Length < arity)
            {
                scratch = new ValueType[arity];
            }

            for (var i = arity - 1; i >= 0; i--)
            {
                scratch[i] = Pop(types[i]);
            }

            for (var i = 0; i < arity; i++)
            {
                Push(scratch[i]);
            }
        }

        PopValues(defaultTypes);
        MarkUnreachable();
    }

    private (ImmutableArray<ValueType> Parameters, ImmutableArray<ValueType> Results) BlockSignature(BlockType blockType)
    {
        if (blockType.IsTypeIndex)
        {
            var type = TypeAt(blockType.TypeIndex);
            return (type.Parameters, type.Results);
        }

        return blockType.Result is { } result ? ([], SingleResults[(byte)result]) : ([], []);
    }

    private static ImmutableArray<ValueType>[] CreateSingleResults()
    {
        var results = new ImmutableArray<ValueType>[256];
        foreach (var type in Enum.GetValues<ValueType>())
        {
            results[(byte)type] = [type];
        }

        return results;
    }

    private static bool IsReference(ValueType type) => type is ValueType.FuncRef or ValueType.ExternRef;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValueType type)
    {
        if (operandCount == operands.Length)
        {
            Array.Resize(ref operands, operands.Length * 2);
        }

        operands[operandCount++] = type;
    }

    private void PushValues(ImmutableArray<ValueType> types)
    {
        foreach (var type in types)
        {
            Push(type);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueType Pop()
    {
        if (operandCount == height)
        {
            return unreachable ? Unknown : throw Invalid("type mismatch");
        }

        return operands[--operandCount];
    }

    /// <summary>Pops an operand of type <paramref name="expected"/>; returns what was popped (Unknown in unreachable code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueType Pop(ValueType expected)
    {
        if (operandCount > height)
        {
            var actual = operands[--operandCount];
            return actual == expected || actual == Unknown ? actual : throw Invalid("type mismatch");
        }

        return unreachable ? Unknown : throw Invalid("type mismatch");
    }

    private void PopCount(ValueType expected, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Pop(expected);
        }
    }

    private void PopValues(ImmutableArray<ValueType> types)
    {
        for (var i = types.Length - 1; i >= 0; i--)
        {
            Pop(types[i]);
        }
    }

    private void PushFrame(Opcode opcode, ImmutableArray<ValueType> parameters, ImmutableArray<ValueType> results)
    {
        if (frameCount == frames.Length)
        {
            Array.Resize(ref frames, frames.Length * 2);
        }

        frames[frameCount++] = new ControlFrame
        {
            Opcode = opcode,
            Parameters = parameters,
            Results = results,
            Height = operandCount,
            Unreachable = false,
        };
        height = operandCount;
        unreachable = false;
        PushValues(parameters);
    }

    private void CheckFrameHeight(in ControlFrame frame)
    {
        if (operandCount != frame.Height)
        {
            throw Invalid("type mismatch");
        }
    }

    private void MarkUnreachable()
    {
        ref var frame = ref frames[frameCount - 1];
        operandCount = frame.Height;
        frame.Unreachable = true;
        unreachable = true;
    }

    private ref ControlFrame Label(uint depth)
    {
        if (depth >= (uint)frameCount)
        {
            throw Invalid($"unknown label {depth}");
        }

        return ref frames[frameCount - 1 - (int)depth];
    }

    private ValueType Local(uint index) =>
        index < (uint)localCount ? locals[index] : throw Invalid($"unknown local {index}");

    private GlobalType Global(uint index) =>
        index < (uint)context.Globals.Length ? context.Globals[index] : throw Invalid($"unknown global {index}");

    private FunctionType Function(uint index) =>
        index < (uint)context.Functions.Length ? context.Functions[index] : throw Invalid($"unknown function {index}");

    private TableType Table(uint index) =>
        index < (uint)context.Tables.Length ? context.Tables[index] : throw Invalid($"unknown table {index}");

    private FunctionType TypeAt(uint index) =>
        index < (uint)context.Types.Length ? context.Types[(int)index] : throw Invalid($"unknown type {index}");

    private ElementSegment Element(uint index) =>
        index < context.ElementCount ? context.Module.Elements[(int)index] : throw Invalid($"unknown elem segment {index}");

    private void RequireMemory(uint index)
    {
        if (index >= (uint)context.MemoryCount)
        {
            throw Invalid($"unknown memory {index}");
        }
    }

    private void RequireData(uint index)
    {
        // Without a data count section the decoder has ensured there is no data section either.
        if (index >= (context.Module.DataCount ?? (uint)context.Module.Data.Length))
        {
            throw Invalid($"unknown data segment {index}");
        }
    }

    private InvalidModuleException Invalid(string reason) =>
        new(reason, $"function {functionIndex}, offset {offset}");
}
