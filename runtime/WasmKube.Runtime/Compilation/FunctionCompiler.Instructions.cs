using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Execution;
using static WasmKube.Runtime.ValueType;

namespace WasmKube.Runtime.Compilation;

/// <summary>The instruction dispatch: numerics, variables, references, tables and memory.</summary>
internal sealed partial class FunctionCompiler
{
    private static readonly FieldInfo GlobalI32 = Field<Global>(nameof(Global.I32));
    private static readonly FieldInfo GlobalI64 = Field<Global>(nameof(Global.I64));
    private static readonly FieldInfo GlobalF32 = Field<Global>(nameof(Global.F32));
    private static readonly FieldInfo GlobalF64 = Field<Global>(nameof(Global.F64));
    private static readonly FieldInfo GlobalV128 = Field<Global>(nameof(Global.V128));
    private static readonly FieldInfo GlobalReference = Field<Global>(nameof(Global.Reference));

    private void EmitInstruction(ref InstructionReader reader, in Instruction instruction)
    {
        var op = instruction.Opcode;
        switch (op)
        {
            case Opcode.Unreachable:
                _il.Emit(OpCodes.Br, TrapLabel(TrapKind.Unreachable, instruction.Offset));
                _unreachable = true;
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block or Opcode.Loop or Opcode.If:
                EmitBlock(instruction);
                break;
            case Opcode.Else:
                EmitElse();
                break;
            case Opcode.End:
                EmitEnd();
                break;
            case Opcode.Br:
                EmitBr(instruction.Index);
                break;
            case Opcode.BrIf:
                EmitBrIf(instruction.Index);
                break;
            case Opcode.BrTable:
                EmitBrTable(ref reader, instruction);
                break;
            case Opcode.Return:
                EmitBr((uint)_frames.Count - 1);
                break;
            case Opcode.Call:
                EmitCall(instruction.Index);
                break;
            case Opcode.CallIndirect:
                EmitCallIndirect(instruction);
                break;
            case Opcode.Drop:
                Pop();
                _il.Emit(OpCodes.Pop);
                break;
            case Opcode.Select or Opcode.SelectTyped:
                EmitSelect();
                break;
            case Opcode.LocalGet:
                EmitLocalGet(instruction.Index);
                break;
            case Opcode.LocalSet:
                Pop();
                EmitLocalSet(instruction.Index);
                break;
            case Opcode.LocalTee:
                _il.Emit(OpCodes.Dup);
                EmitLocalSet(instruction.Index);
                break;
            case Opcode.GlobalGet:
                EmitGlobalGet(instruction.Index);
                break;
            case Opcode.GlobalSet:
                EmitGlobalSet(instruction.Index);
                break;
            case Opcode.I32Const:
                _il.Emit(OpCodes.Ldc_I4, instruction.I32);
                Push(I32);
                break;
            case Opcode.I64Const:
                _il.Emit(OpCodes.Ldc_I8, instruction.I64);
                Push(I64);
                break;
            case Opcode.F32Const:
                EmitF32Constant(instruction.F32Bits);
                break;
            case Opcode.F64Const:
                EmitF64Constant(instruction.F64Bits);
                break;
            case Opcode.RefNull:
                _il.Emit(OpCodes.Ldnull);
                Push(instruction.ValueType);
                break;
            case Opcode.RefIsNull:
                Pop();
                _il.Emit(OpCodes.Ldnull);
                _il.Emit(OpCodes.Ceq);
                Push(I32);
                break;
            case Opcode.RefFunc:
                LoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)instruction.Index);
                _il.Emit(OpCodes.Call, typeof(InstanceContext).GetMethod(nameof(InstanceContext.GetFunction))!);
                Push(FuncRef);
                break;
            case Opcode.MemorySize:
                LoadContext();
                _il.Emit(OpCodes.Ldfld, ContextMemory);
                CallInstanceOps(nameof(InstanceOps.MemorySize));
                Push(I32);
                break;
            case Opcode.MemoryGrow:
            {
                var delta = Rent(typeof(int));
                _il.Emit(OpCodes.Stloc, delta);
                LoadContext();
                _il.Emit(OpCodes.Ldfld, ContextMemory);
                _il.Emit(OpCodes.Ldloc, delta);
                Return(delta);
                CallInstanceOps(nameof(InstanceOps.MemoryGrow));
                ReloadMemory();
                break;
            }

            default:
                if (!EmitNumeric(op, instruction.Offset) && !EmitMemory(instruction) && !EmitTableOrBulk(instruction) && !EmitSimd(instruction))
                {
                    throw new NotSupportedException($"the compiler does not support the instruction {OpcodeNames.Of(op)} (function {_functionIndex}, offset {instruction.Offset})");
                }

                break;
        }
    }

    private void CallOps(string name) => _il.Emit(OpCodes.Call, typeof(Ops).GetMethod(name)!);

    private void CallInstanceOps(string name) => _il.Emit(OpCodes.Call, typeof(InstanceOps).GetMethod(name)!);

    private void EmitSelect()
    {
        Pop();
        var type = Pop();
        var pickFirst = _il.DefineLabel();
        var end = _il.DefineLabel();
        var second = Rent(type);
        _il.Emit(OpCodes.Brtrue, pickFirst);
        _il.Emit(OpCodes.Stloc, second);
        _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Ldloc, second);
        _il.Emit(OpCodes.Br, end);
        MarkBranchTarget(pickFirst);
        _il.Emit(OpCodes.Pop);
        MarkBranchTarget(end);
        Return(second);
    }

    private void EmitLocalGet(uint index)
    {
        if (_locals[index] is { } local) _il.Emit(OpCodes.Ldloc, local);
        else _il.Emit(OpCodes.Ldarg, (short)index);
        Push(_localTypes[index]);
    }

    private void EmitLocalSet(uint index)
    {
        if (_locals[index] is { } local) _il.Emit(OpCodes.Stloc, local);
        else _il.Emit(OpCodes.Starg, (short)index);
    }

    private static FieldInfo GlobalField(ValueType type) => type switch
    {
        I32 => GlobalI32,
        I64 => GlobalI64,
        F32 => GlobalF32,
        F64 => GlobalF64,
        V128 => GlobalV128,
        _ => GlobalReference,
    };

    private void LoadGlobalCell(uint index)
    {
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextGlobals);
        _il.Emit(OpCodes.Ldc_I4, (int)index);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    private void EmitGlobalGet(uint index)
    {
        var type = _module.Globals[(int)index].ValueType;
        LoadGlobalCell(index);
        _il.Emit(OpCodes.Ldfld, GlobalField(type));
        if (type == FuncRef) _il.Emit(OpCodes.Castclass, typeof(Func));
        Push(type);
    }

    private void EmitGlobalSet(uint index)
    {
        var type = Pop();
        var value = Rent(type);
        _il.Emit(OpCodes.Stloc, value);
        LoadGlobalCell(index);
        _il.Emit(OpCodes.Ldloc, value);
        _il.Emit(OpCodes.Stfld, GlobalField(_module.Globals[(int)index].ValueType));
        Return(value);
    }

    private bool EmitTableOrBulk(in Instruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.TableGet:
            {
                var elementType = _module.Tables[(int)instruction.Index].ElementType;
                var index = Rent(typeof(int));
                _il.Emit(OpCodes.Stloc, index);
                LoadTable(instruction.Index);
                _il.Emit(OpCodes.Ldloc, index);
                Return(index);
                CallInstanceOps(nameof(InstanceOps.TableGet));
                if (elementType == FuncRef) _il.Emit(OpCodes.Castclass, typeof(Func));
                Pop();
                Push(elementType);
                return true;
            }

            case Opcode.TableSet:
                EmitWithTableFirst(instruction.Index, 2, nameof(InstanceOps.TableSet));
                return true;
            case Opcode.TableSize:
                LoadTable(instruction.Index);
                CallInstanceOps(nameof(InstanceOps.TableSize));
                Push(I32);
                return true;
            case Opcode.TableGrow:
                EmitWithTableFirst(instruction.Index, 2, nameof(InstanceOps.TableGrow));
                Push(I32);
                return true;
            case Opcode.TableFill:
                EmitWithTableFirst(instruction.Index, 3, nameof(InstanceOps.TableFill));
                return true;
            case Opcode.TableCopy:
            {
                var operands = SpillOperands(3);
                LoadTable(instruction.Index);
                LoadTable(instruction.SecondIndex);
                LoadAll(operands);
                ReturnAll(operands);
                CallInstanceOps(nameof(InstanceOps.TableCopy));
                return true;
            }

            case Opcode.TableInit:
            {
                var operands = SpillOperands(3);
                LoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)instruction.SecondIndex);
                _il.Emit(OpCodes.Ldc_I4, (int)instruction.Index);
                LoadAll(operands);
                ReturnAll(operands);
                CallInstanceOps(nameof(InstanceOps.TableInit));
                return true;
            }

            case Opcode.ElemDrop:
                LoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)instruction.Index);
                CallInstanceOps(nameof(InstanceOps.ElemDrop));
                return true;
            case Opcode.MemoryInit:
            {
                var operands = SpillOperands(3);
                LoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)instruction.Index);
                LoadAll(operands);
                ReturnAll(operands);
                CallInstanceOps(nameof(InstanceOps.MemoryInit));
                return true;
            }

            case Opcode.DataDrop:
                LoadContext();
                _il.Emit(OpCodes.Ldc_I4, (int)instruction.Index);
                CallInstanceOps(nameof(InstanceOps.DataDrop));
                return true;
            case Opcode.MemoryCopy:
            {
                var operands = SpillOperands(3);
                LoadContext();
                _il.Emit(OpCodes.Ldfld, ContextMemory);
                _il.Emit(OpCodes.Dup);
                LoadAll(operands);
                ReturnAll(operands);
                CallInstanceOps(nameof(InstanceOps.MemoryCopy));
                return true;
            }

            case Opcode.MemoryFill:
                EmitWithMemoryFirst(3, nameof(InstanceOps.MemoryFill));
                return true;
            default:
                return false;
        }
    }

    private void LoadTable(uint index)
    {
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextTables);
        _il.Emit(OpCodes.Ldc_I4, (int)index);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    /// <summary>Moves the top <paramref name="count"/> operands to temporaries (popping them from the type stack).</summary>
    private LocalBuilder[] SpillOperands(int count)
    {
        var locals = _stack.Skip(_stack.Count - count).Select(Rent).ToArray();
        StoreTop(locals);
        Pop(count);
        return locals;
    }

    private void EmitWithTableFirst(uint table, int operandCount, string helper)
    {
        var operands = SpillOperands(operandCount);
        LoadTable(table);
        LoadAll(operands);
        ReturnAll(operands);
        CallInstanceOps(helper);
    }

    private void EmitWithMemoryFirst(int operandCount, string helper)
    {
        var operands = SpillOperands(operandCount);
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextMemory);
        LoadAll(operands);
        ReturnAll(operands);
        CallInstanceOps(helper);
    }

    // ---- memory ----

    /// <summary>
    /// Turns the i32 address on the stack into a native pointer to <paramref name="size"/> bytes at address +
    /// offset, trapping when they are not all inside the memory. The sum is computed in 64 bits, so no address and
    /// offset combination can wrap around.
    /// </summary>
    private void EmitEffectiveAddress(uint offset, int size, int instructionOffset)
    {
        _il.Emit(OpCodes.Conv_U8);
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Add);
        }

        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldc_I8, (long)size);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldloc, _memoryLength!);
        _il.Emit(OpCodes.Bgt_Un, TrapLabel(TrapKind.MemoryOutOfBounds, instructionOffset));
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldloc, _memoryBase!);
        _il.Emit(OpCodes.Add);
    }

    private bool EmitMemory(in Instruction instruction)
    {
        var offset = instruction.MemoryOffset;
        var at = instruction.Offset;
        switch (instruction.Opcode)
        {
            case Opcode.I32Load: Load(4, OpCodes.Ldind_I4, null, I32); return true;
            case Opcode.I64Load: Load(8, OpCodes.Ldind_I8, null, I64); return true;
            case Opcode.F32Load: Load(4, OpCodes.Ldind_R4, null, F32); return true;
            case Opcode.F64Load: Load(8, OpCodes.Ldind_R8, null, F64); return true;
            case Opcode.I32Load8S: Load(1, OpCodes.Ldind_I1, null, I32); return true;
            case Opcode.I32Load8U: Load(1, OpCodes.Ldind_U1, null, I32); return true;
            case Opcode.I32Load16S: Load(2, OpCodes.Ldind_I2, null, I32); return true;
            case Opcode.I32Load16U: Load(2, OpCodes.Ldind_U2, null, I32); return true;
            case Opcode.I64Load8S: Load(1, OpCodes.Ldind_I1, OpCodes.Conv_I8, I64); return true;
            case Opcode.I64Load8U: Load(1, OpCodes.Ldind_U1, OpCodes.Conv_U8, I64); return true;
            case Opcode.I64Load16S: Load(2, OpCodes.Ldind_I2, OpCodes.Conv_I8, I64); return true;
            case Opcode.I64Load16U: Load(2, OpCodes.Ldind_U2, OpCodes.Conv_U8, I64); return true;
            case Opcode.I64Load32S: Load(4, OpCodes.Ldind_I4, OpCodes.Conv_I8, I64); return true;
            case Opcode.I64Load32U: Load(4, OpCodes.Ldind_U4, OpCodes.Conv_U8, I64); return true;
            case Opcode.I32Store: Store(4, OpCodes.Stind_I4, null); return true;
            case Opcode.I64Store: Store(8, OpCodes.Stind_I8, null); return true;
            case Opcode.F32Store: Store(4, OpCodes.Stind_R4, null); return true;
            case Opcode.F64Store: Store(8, OpCodes.Stind_R8, null); return true;
            case Opcode.I32Store8: Store(1, OpCodes.Stind_I1, null); return true;
            case Opcode.I32Store16: Store(2, OpCodes.Stind_I2, null); return true;
            case Opcode.I64Store8: Store(1, OpCodes.Stind_I1, OpCodes.Conv_I4); return true;
            case Opcode.I64Store16: Store(2, OpCodes.Stind_I2, OpCodes.Conv_I4); return true;
            case Opcode.I64Store32: Store(4, OpCodes.Stind_I4, OpCodes.Conv_I4); return true;
            case Opcode.V128Load:
                Pop();
                EmitEffectiveAddress(offset, 16, at);
                _il.Emit(OpCodes.Unaligned, (byte)1);
                _il.Emit(OpCodes.Ldobj, typeof(Vector128<byte>));
                Push(V128);
                return true;
            case Opcode.V128Store:
            {
                Pop();
                Pop();
                var value = Rent(typeof(Vector128<byte>));
                _il.Emit(OpCodes.Stloc, value);
                EmitEffectiveAddress(offset, 16, at);
                _il.Emit(OpCodes.Ldloc, value);
                _il.Emit(OpCodes.Unaligned, (byte)1);
                _il.Emit(OpCodes.Stobj, typeof(Vector128<byte>));
                Return(value);
                return true;
            }

            default:
                return false;
        }

        void Load(int size, OpCode load, OpCode? widen, ValueType result)
        {
            Pop();
            EmitEffectiveAddress(offset, size, at);
            _il.Emit(OpCodes.Unaligned, (byte)1);
            _il.Emit(load);
            if (widen is { } conversion) _il.Emit(conversion);
            Push(result);
        }

        void Store(int size, OpCode store, OpCode? narrow)
        {
            var type = Pop();
            Pop();
            var value = Rent(type);
            _il.Emit(OpCodes.Stloc, value);
            EmitEffectiveAddress(offset, size, at);
            _il.Emit(OpCodes.Ldloc, value);
            if (narrow is { } conversion) _il.Emit(conversion);
            _il.Emit(OpCodes.Unaligned, (byte)1);
            _il.Emit(store);
            Return(value);
        }
    }
}
