using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Compilation.Simd;
using WasmKube.Runtime.Execution;
using static WasmKube.Runtime.ValueType;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// SIMD instructions (0xFD prefix). v128.load/store/const are emitted directly; the other memory forms do the
/// bounds-checked access here and hand the raw bits to <see cref="SimdOps"/>; everything else is a call to the
/// <see cref="SimdOps"/> method named like the opcode.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private static readonly ConcurrentDictionary<Opcode, MethodInfo?> SimdMethods = new();

    private static readonly MethodInfo VectorFromHalves = typeof(Vector128).GetMethod(nameof(Vector128.Create), [typeof(ulong), typeof(ulong)])!;

    private static readonly MethodInfo VectorAsByte = typeof(Vector128).GetMethod(nameof(Vector128.AsByte))!.MakeGenericMethod(typeof(ulong));

    private static MethodInfo SimdMethod(Opcode op) =>
        SimdMethods.GetOrAdd(op, static o => typeof(SimdOps).GetMethod(o.ToString(), BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
        ?? throw new NotSupportedException($"the SIMD instruction {OpcodeNames.Of(op)} has no implementation (SimdOps.{op} is missing)");

    private void EmitV128Constant(Vector128<byte> value)
    {
        var halves = value.AsUInt64();
        _il.Emit(OpCodes.Ldc_I8, (long)halves.GetElement(0));
        _il.Emit(OpCodes.Ldc_I8, (long)halves.GetElement(1));
        _il.Emit(OpCodes.Call, VectorFromHalves);
        _il.Emit(OpCodes.Call, VectorAsByte);
    }

    private bool EmitSimd(in Instruction instruction)
    {
        var op = instruction.Opcode;
        if (((int)op >> 16) != 0xFD) return false;
        var offset = instruction.MemoryOffset;
        var at = instruction.Offset;
        var lane = (int)instruction.Lane;
        switch (op)
        {
            case Opcode.V128Const:
                EmitV128Constant(instruction.V128);
                Push(V128);
                return true;
            case Opcode.I8x16Shuffle:
                EmitV128Constant(instruction.V128);
                _il.Emit(OpCodes.Call, SimdMethod(op));
                Pop();
                return true;
            case Opcode.V128Load8x8S or Opcode.V128Load8x8U or Opcode.V128Load16x4S or Opcode.V128Load16x4U
                or Opcode.V128Load32x2S or Opcode.V128Load32x2U or Opcode.V128Load64Splat or Opcode.V128Load64Zero:
                LoadRaw(8, OpCodes.Ldind_I8);
                return true;
            case Opcode.V128Load8Splat: LoadRaw(1, OpCodes.Ldind_U1); return true;
            case Opcode.V128Load16Splat: LoadRaw(2, OpCodes.Ldind_U2); return true;
            case Opcode.V128Load32Splat or Opcode.V128Load32Zero: LoadRaw(4, OpCodes.Ldind_U4); return true;
            case Opcode.V128Load8Lane: LoadLane(1, OpCodes.Ldind_U1); return true;
            case Opcode.V128Load16Lane: LoadLane(2, OpCodes.Ldind_U2); return true;
            case Opcode.V128Load32Lane: LoadLane(4, OpCodes.Ldind_U4); return true;
            case Opcode.V128Load64Lane: LoadLane(8, OpCodes.Ldind_I8); return true;
            case Opcode.V128Store8Lane: StoreLane(1, OpCodes.Stind_I1); return true;
            case Opcode.V128Store16Lane: StoreLane(2, OpCodes.Stind_I2); return true;
            case Opcode.V128Store32Lane: StoreLane(4, OpCodes.Stind_I4); return true;
            case Opcode.V128Store64Lane: StoreLane(8, OpCodes.Stind_I8); return true;
        }

        var method = SimdMethod(op);
        var parameters = method.GetParameters();
        var operands = parameters.Length;
        if (parameters.Length > 0 && parameters[^1].Name == "lane")
        {
            _il.Emit(OpCodes.Ldc_I4, (int)instruction.Lane);
            operands--;
        }

        _il.Emit(OpCodes.Call, method);
        Pop(operands);
        if (method.ReturnType != typeof(void))
        {
            Push(ClrTypes.ToValueType(method.ReturnType)
                ?? throw new NotSupportedException($"SimdOps.{op} returns {method.ReturnType}, which is no wasm value type"));
        }

        return true;

        void LoadRaw(int size, OpCode load)
        {
            Pop();
            EmitEffectiveAddress(offset, size, at);
            _il.Emit(OpCodes.Unaligned, (byte)1);
            _il.Emit(load);
            _il.Emit(OpCodes.Call, SimdMethod(op));
            Push(V128);
        }

        void LoadLane(int size, OpCode load)
        {
            Pop();
            var vector = Rent(typeof(Vector128<byte>));
            _il.Emit(OpCodes.Stloc, vector);
            EmitEffectiveAddress(offset, size, at);
            _il.Emit(OpCodes.Unaligned, (byte)1);
            _il.Emit(load);
            var raw = Rent(size == 8 ? typeof(long) : typeof(int));
            _il.Emit(OpCodes.Stloc, raw);
            _il.Emit(OpCodes.Ldloc, vector);
            _il.Emit(OpCodes.Ldloc, raw);
            _il.Emit(OpCodes.Ldc_I4, lane);
            _il.Emit(OpCodes.Call, SimdMethod(op));
            Return(vector);
            Return(raw);
        }

        void StoreLane(int size, OpCode store)
        {
            Pop();
            Pop();
            var vector = Rent(typeof(Vector128<byte>));
            _il.Emit(OpCodes.Stloc, vector);
            EmitEffectiveAddress(offset, size, at);
            _il.Emit(OpCodes.Ldloc, vector);
            _il.Emit(OpCodes.Ldc_I4, lane);
            _il.Emit(OpCodes.Call, SimdMethod(op));
            _il.Emit(OpCodes.Unaligned, (byte)1);
            _il.Emit(store);
            Return(vector);
        }
    }
}
