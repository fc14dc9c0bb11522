using System.Reflection;
using System.Reflection.Emit;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Execution;
using static WasmKube.Runtime.ValueType;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// Numeric instructions (spec §4.3): one IL opcode where the CLR's semantics equal wasm's (wrapping integer
/// arithmetic, IEEE float arithmetic, ordered/unordered compares), an <see cref="Ops"/> helper otherwise.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private static readonly FieldInfo OpaqueF32Values = typeof(OpaqueFloats).GetField(nameof(OpaqueFloats.F32))!;
    private static readonly FieldInfo OpaqueF64Values = typeof(OpaqueFloats).GetField(nameof(OpaqueFloats.F64))!;
    private static readonly MethodInfo OpaqueF32FromBits = typeof(OpaqueFloats).GetMethod(nameof(OpaqueFloats.F32FromBits))!;
    private static readonly MethodInfo OpaqueF64FromBits = typeof(OpaqueFloats).GetMethod(nameof(OpaqueFloats.F64FromBits))!;

    private bool EmitNumeric(Opcode op, int offset)
    {
        switch (op)
        {
            // Both traps are checked inline so they carry the instruction's offset: once RyuJIT inlines the helper,
            // optimized code has no IL offset for a throw inside it, and the backtrace could not place the trap.
            case Opcode.I32DivS or Opcode.I32DivU or Opcode.I32RemS or Opcode.I32RemU
                or Opcode.I64DivS or Opcode.I64DivU or Opcode.I64RemS or Opcode.I64RemU:
                _il.Emit(OpCodes.Dup);
                _il.Emit(OpCodes.Brfalse, TrapLabel(TrapKind.IntegerDivideByZero, offset));
                if (op is Opcode.I32DivS or Opcode.I64DivS) EmitSignedDivisionOverflowCheck(op == Opcode.I64DivS, offset);
                CallOps(op.ToString());
                Pop();
                return true;
            case Opcode.I32Eqz: _il.Emit(OpCodes.Ldc_I4_0); _il.Emit(OpCodes.Ceq); Unary(I32); return true;
            case Opcode.I64Eqz: _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Ceq); Unary(I32); return true;
            case Opcode.I32Eq or Opcode.I64Eq or Opcode.F32Eq or Opcode.F64Eq: Compare(OpCodes.Ceq, false); return true;
            case Opcode.I32Ne or Opcode.I64Ne or Opcode.F32Ne or Opcode.F64Ne: Compare(OpCodes.Ceq, true); return true;
            case Opcode.I32LtS or Opcode.I64LtS or Opcode.F32Lt or Opcode.F64Lt: Compare(OpCodes.Clt, false); return true;
            case Opcode.I32LtU or Opcode.I64LtU: Compare(OpCodes.Clt_Un, false); return true;
            case Opcode.I32GtS or Opcode.I64GtS or Opcode.F32Gt or Opcode.F64Gt: Compare(OpCodes.Cgt, false); return true;
            case Opcode.I32GtU or Opcode.I64GtU: Compare(OpCodes.Cgt_Un, false); return true;

            // a <= b is !(a > b); for floats the unordered form makes NaN compare false.
            case Opcode.I32LeS or Opcode.I64LeS: Compare(OpCodes.Cgt, true); return true;
            case Opcode.I32LeU or Opcode.I64LeU or Opcode.F32Le or Opcode.F64Le: Compare(OpCodes.Cgt_Un, true); return true;
            case Opcode.I32GeS or Opcode.I64GeS: Compare(OpCodes.Clt, true); return true;
            case Opcode.I32GeU or Opcode.I64GeU or Opcode.F32Ge or Opcode.F64Ge: Compare(OpCodes.Clt_Un, true); return true;

            case Opcode.I32Add or Opcode.I64Add or Opcode.F32Add or Opcode.F64Add: Binary(OpCodes.Add); return true;
            case Opcode.I32Sub or Opcode.I64Sub or Opcode.F32Sub or Opcode.F64Sub: Binary(OpCodes.Sub); return true;
            case Opcode.I32Mul or Opcode.I64Mul or Opcode.F32Mul or Opcode.F64Mul: Binary(OpCodes.Mul); return true;
            case Opcode.F32Div or Opcode.F64Div: Binary(OpCodes.Div); return true;
            case Opcode.I32And or Opcode.I64And: Binary(OpCodes.And); return true;
            case Opcode.I32Or or Opcode.I64Or: Binary(OpCodes.Or); return true;
            case Opcode.I32Xor or Opcode.I64Xor: Binary(OpCodes.Xor); return true;

            // Shift counts are taken modulo the width (spec §4.3.2 ishl); IL leaves larger counts unspecified.
            case Opcode.I32Shl: Shift(OpCodes.Shl, 31); return true;
            case Opcode.I32ShrS: Shift(OpCodes.Shr, 31); return true;
            case Opcode.I32ShrU: Shift(OpCodes.Shr_Un, 31); return true;
            case Opcode.I64Shl: Shift(OpCodes.Shl, 63); return true;
            case Opcode.I64ShrS: Shift(OpCodes.Shr, 63); return true;
            case Opcode.I64ShrU: Shift(OpCodes.Shr_Un, 63); return true;

            case Opcode.I32Clz or Opcode.I32Ctz or Opcode.I32Popcnt or Opcode.I64Clz or Opcode.I64Ctz or Opcode.I64Popcnt
                or Opcode.F32Abs or Opcode.F32Neg or Opcode.F32Ceil or Opcode.F32Floor or Opcode.F32Trunc or Opcode.F32Nearest
                or Opcode.F32Sqrt or Opcode.F64Abs or Opcode.F64Neg or Opcode.F64Ceil or Opcode.F64Floor or Opcode.F64Trunc
                or Opcode.F64Nearest or Opcode.F64Sqrt:
                CallOps(op.ToString());
                return true;
            case Opcode.I32Rotl or Opcode.I32Rotr or Opcode.I64Rotl or Opcode.I64Rotr
                or Opcode.F32Min or Opcode.F32Max or Opcode.F32Copysign or Opcode.F64Min or Opcode.F64Max or Opcode.F64Copysign:
                CallOps(op.ToString());
                Pop();
                return true;

            case Opcode.I32WrapI64: _il.Emit(OpCodes.Conv_I4); Unary(I32); return true;
            case Opcode.I64ExtendI32S: _il.Emit(OpCodes.Conv_I8); Unary(I64); return true;
            case Opcode.I64ExtendI32U: _il.Emit(OpCodes.Conv_U8); Unary(I64); return true;
            case Opcode.I32Extend8S: _il.Emit(OpCodes.Conv_I1); return true;
            case Opcode.I32Extend16S: _il.Emit(OpCodes.Conv_I2); return true;
            case Opcode.I64Extend8S: _il.Emit(OpCodes.Conv_I1); _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.I64Extend16S: _il.Emit(OpCodes.Conv_I2); _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.I64Extend32S: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.F32ConvertI32S: _il.Emit(OpCodes.Conv_R4); Unary(F32); return true;
            case Opcode.F64ConvertI32S or Opcode.F64ConvertI64S: _il.Emit(OpCodes.Conv_R8); Unary(F64); return true;
            case Opcode.F32DemoteF64: _il.Emit(OpCodes.Conv_R4); Unary(F32); return true;
            case Opcode.F64PromoteF32: CallOps(nameof(Ops.F64PromoteF32)); Unary(F64); return true;

            case Opcode.I32TruncF32S or Opcode.I32TruncF32U or Opcode.I32TruncF64S or Opcode.I32TruncF64U
                or Opcode.I32TruncSatF32S or Opcode.I32TruncSatF32U or Opcode.I32TruncSatF64S or Opcode.I32TruncSatF64U
                or Opcode.I32ReinterpretF32:
                CallOps(op.ToString());
                Unary(I32);
                return true;
            case Opcode.I64TruncF32S or Opcode.I64TruncF32U or Opcode.I64TruncF64S or Opcode.I64TruncF64U
                or Opcode.I64TruncSatF32S or Opcode.I64TruncSatF32U or Opcode.I64TruncSatF64S or Opcode.I64TruncSatF64U
                or Opcode.I64ReinterpretF64:
                CallOps(op.ToString());
                Unary(I64);
                return true;
            // The JIT would fold reinterpreting a constant into a float constant; give it the opaque form instead.
            case Opcode.F32ReinterpretI32 when _previous.Opcode == Opcode.I32Const:
                _il.Emit(OpCodes.Pop);
                Pop();
                EmitF32Constant((uint)_previous.I32);
                return true;
            case Opcode.F64ReinterpretI64 when _previous.Opcode == Opcode.I64Const:
                _il.Emit(OpCodes.Pop);
                Pop();
                EmitF64Constant((ulong)_previous.I64);
                return true;
            case Opcode.F32ConvertI32U or Opcode.F32ConvertI64S or Opcode.F32ConvertI64U or Opcode.F32ReinterpretI32:
                CallOps(op.ToString());
                Unary(F32);
                return true;
            case Opcode.F64ConvertI32U or Opcode.F64ConvertI64U or Opcode.F64ReinterpretI64:
                CallOps(op.ToString());
                Unary(F64);
                return true;
            default:
                return false;
        }
    }

    // What RyuJIT may fold must not look constant to it: see OpaqueFloats. Any other value is an exact ldc.r4/ldc.r8.
    private void EmitF32Constant(uint bits)
    {
        var value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value))
        {
            _il.Emit(OpCodes.Ldc_I4, (int)bits);
            _il.Emit(OpCodes.Call, OpaqueF32FromBits);
        }
        else if (OpaqueFloats.IndexOf(bits) is var index and >= 0)
        {
            _il.Emit(OpCodes.Ldsfld, OpaqueF32Values);
            _il.Emit(OpCodes.Ldc_I4, index);
            _il.Emit(OpCodes.Ldelem_R4);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R4, value);
        }

        Push(F32);
    }

    private void EmitF64Constant(ulong bits)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);
        if (double.IsNaN(value))
        {
            _il.Emit(OpCodes.Ldc_I8, (long)bits);
            _il.Emit(OpCodes.Call, OpaqueF64FromBits);
        }
        else if (OpaqueFloats.IndexOf(bits) is var index and >= 0)
        {
            _il.Emit(OpCodes.Ldsfld, OpaqueF64Values);
            _il.Emit(OpCodes.Ldc_I4, index);
            _il.Emit(OpCodes.Ldelem_R8);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R8, value);
        }

        Push(F64);
    }

    /// <summary>Traps when the operands (dividend, divisor) on the stack are MIN / -1, leaving them in place.</summary>
    private void EmitSignedDivisionOverflowCheck(bool wide, int offset)
    {
        var type = wide ? typeof(long) : typeof(int);
        var divisor = Rent(type);
        var dividend = Rent(type);
        _il.Emit(OpCodes.Stloc, divisor);
        _il.Emit(OpCodes.Stloc, dividend);
        var fits = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, divisor);
        _il.Emit(OpCodes.Ldc_I4_M1);
        if (wide) _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Bne_Un, fits);
        _il.Emit(OpCodes.Ldloc, dividend);
        if (wide) _il.Emit(OpCodes.Ldc_I8, long.MinValue);
        else _il.Emit(OpCodes.Ldc_I4, int.MinValue);
        _il.Emit(OpCodes.Beq, TrapLabel(TrapKind.IntegerOverflow, offset));
        MarkBranchTarget(fits);
        _il.Emit(OpCodes.Ldloc, dividend);
        _il.Emit(OpCodes.Ldloc, divisor);
        Return(dividend);
        Return(divisor);
    }

    private void Unary(ValueType result)
    {
        Pop();
        Push(result);
    }

    private void Compare(OpCode compare, bool negate)
    {
        _il.Emit(compare);
        if (negate)
        {
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ceq);
        }

        Pop(2);
        Push(I32);
    }

    private void Binary(OpCode operation)
    {
        _il.Emit(operation);
        Pop();
    }

    private void Shift(OpCode shift, int mask)
    {
        // The count is i64 for i64 shifts; IL takes an int32 count.
        if (mask == 63) _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Ldc_I4, mask);
        _il.Emit(OpCodes.And);
        _il.Emit(shift);
        Pop();
    }
}
