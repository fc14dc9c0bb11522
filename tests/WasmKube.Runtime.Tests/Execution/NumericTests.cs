namespace WasmKube.Runtime.Tests.Execution;

/// <summary>Numeric instructions at their edges (spec §4.3), run through compiled code.</summary>
public sealed class NumericTests
{
    private static readonly Instance Numbers = Wat.Instantiate("""
        (module
          (func (export "i32.div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "i32.rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "i32.div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
          (func (export "i64.rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
          (func (export "i32.shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
          (func (export "i64.shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
          (func (export "i32.rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
          (func (export "i32.clz") (param i32) (result i32) (i32.clz (local.get 0)))
          (func (export "i64.ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
          (func (export "i32.trunc_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "i32.trunc_f64_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
          (func (export "i32.trunc_sat_f32_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
          (func (export "i64.trunc_sat_f64_u") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
          (func (export "f32.nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
          (func (export "f64.min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
          (func (export "f32.max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
          (func (export "f32.neg_bits") (param i32) (result i32) (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))
          (func (export "f64.copysign_bits") (param i64 i64) (result i64)
            (i64.reinterpret_f64 (f64.copysign (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
          (func (export "f32.convert_i64_u") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
          (func (export "i32.extend8_s") (param i32) (result i32) (i32.extend8_s (local.get 0)))
          (func (export "i64.extend_i32_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
          (func (export "f32.le") (param f32 f32) (result i32) (f32.le (local.get 0) (local.get 1))))
        """);

    private static Value Call(string name, params Value[] arguments) => Numbers.GetFunction(name)!.Invoke(arguments)[0];

    private static TrapKind TrapOf(string name, params Value[] arguments) =>
        Assert.Throws<TrapException>(() => Numbers.GetFunction(name)!.Invoke(arguments)).Kind;

    [Fact]
    public void IntegerDivisionTrapsLikeTheSpec()
    {
        Assert.Equal(TrapKind.IntegerDivideByZero, TrapOf("i32.div_s", Value.I32(1), Value.I32(0)));
        Assert.Equal(TrapKind.IntegerOverflow, TrapOf("i32.div_s", Value.I32(int.MinValue), Value.I32(-1)));
        Assert.Equal(TrapKind.IntegerDivideByZero, TrapOf("i64.rem_u", Value.I64(5), Value.I64(0)));
        Assert.Equal(0, Call("i32.rem_s", Value.I32(int.MinValue), Value.I32(-1)).AsI32());
        Assert.Equal(-7 % 2, Call("i32.rem_s", Value.I32(-7), Value.I32(2)).AsI32());
        Assert.Equal((int)(uint.MaxValue / 2u), Call("i32.div_u", Value.I32(-1), Value.I32(2)).AsI32());
        Assert.Equal((long)(ulong.MaxValue % 10ul), Call("i64.rem_u", Value.I64(-1), Value.I64(10)).AsI64());
    }

    [Fact]
    public void ShiftsAndRotationsTakeTheCountModuloTheWidth()
    {
        Assert.Equal(1 << 1, Call("i32.shl", Value.I32(1), Value.I32(33)).AsI32());
        Assert.Equal(-1L, Call("i64.shr_s", Value.I64(long.MinValue), Value.I64(127)).AsI64());
        Assert.Equal(unchecked((int)0x80000001u), Call("i32.rotl", Value.I32(unchecked((int)0xC0000000u)), Value.I32(33)).AsI32());
        Assert.Equal(32, Call("i32.clz", Value.I32(0)).AsI32());
        Assert.Equal(64L, Call("i64.ctz", Value.I64(0)).AsI64());
    }

    [Fact]
    public void TruncationTrapsOrSaturates()
    {
        Assert.Equal(TrapKind.InvalidConversionToInteger, TrapOf("i32.trunc_f32_s", Value.F32(float.NaN)));
        Assert.Equal(TrapKind.IntegerOverflow, TrapOf("i32.trunc_f32_s", Value.F32(2147483648f)));
        Assert.Equal(TrapKind.IntegerOverflow, TrapOf("i32.trunc_f64_u", Value.F64(-1.0)));
        Assert.Equal(0, Call("i32.trunc_f64_u", Value.F64(-0.9)).AsI32());
        Assert.Equal(int.MinValue, Call("i32.trunc_f32_s", Value.F32(-2147483648f)).AsI32());
        Assert.Equal(int.MaxValue, Call("i32.trunc_sat_f32_s", Value.F32(float.PositiveInfinity)).AsI32());
        Assert.Equal(0, Call("i32.trunc_sat_f32_s", Value.F32(float.NaN)).AsI32());
        Assert.Equal(-1L, Call("i64.trunc_sat_f64_u", Value.F64(1e30)).AsI64());
        Assert.Equal(0L, Call("i64.trunc_sat_f64_u", Value.F64(-5.0)).AsI64());
    }

    [Fact]
    public void FloatOperationsFollowIeeeAndWasmRules()
    {
        Assert.Equal(2f, Call("f32.nearest", Value.F32(2.5f)).AsF32());
        Assert.Equal(-4f, Call("f32.nearest", Value.F32(-3.5f)).AsF32());
        Assert.True(float.IsNegative(Call("f32.nearest", Value.F32(-0.4f)).AsF32()));
        Assert.True(double.IsNegative(Call("f64.min", Value.F64(0.0), Value.F64(-0.0)).AsF64()));
        Assert.True(double.IsNaN(Call("f64.min", Value.F64(1.0), Value.F64(double.NaN)).AsF64()));
        Assert.False(float.IsNegative(Call("f32.max", Value.F32(-0.0f), Value.F32(0.0f)).AsF32()));
        Assert.Equal(0, Call("f32.le", Value.F32(float.NaN), Value.F32(1f)).AsI32());
        Assert.Equal(1, Call("f32.le", Value.F32(1f), Value.F32(1f)).AsI32());

        // 2^64 - 1 rounds to 2^64 with a single rounding.
        Assert.Equal(18446744073709551616f, Call("f32.convert_i64_u", Value.I64(-1)).AsF32());
        Assert.Equal((float)(ulong)0x8000_0080_0000_0001, Call("f32.convert_i64_u", Value.I64(unchecked((long)0x8000_0080_0000_0001))).AsF32());
    }

    [Fact]
    public void SignOperationsKeepNanPayloads()
    {
        const int SignalingNan = 0x7FA0_0001;
        Assert.Equal(unchecked((int)0xFFA0_0001), Call("f32.neg_bits", Value.I32(SignalingNan)).AsI32());
        const long Payload = 0x7FF4_0000_0000_0001;
        Assert.Equal(unchecked((long)0xFFF4_0000_0000_0001), Call("f64.copysign_bits", Value.I64(Payload), Value.I64(long.MinValue)).AsI64());
    }

    [Fact]
    public void ExtensionsSignOrZeroExtend()
    {
        Assert.Equal(-128, Call("i32.extend8_s", Value.I32(0x180)).AsI32());
        Assert.Equal(0xFFFF_FFFFL, Call("i64.extend_i32_u", Value.I32(-1)).AsI64());
    }
}
