using WasmKube.Runtime.Tests.Execution;

namespace WasmKube.Runtime.Tests.Compilation;

/// <summary>
/// NaN bits through compiled code (spec §4.3.3, §6.5.6 NaN propagation): constants, locals and memory keep a
/// signalling NaN's exact bits, while arithmetic on one must return an arithmetic (quiet) NaN even when the other
/// operand is a constant the optimizing JIT could treat as an identity (x - 0, x * 1, x / 1, x + -0).
/// </summary>
public sealed class FloatNaNBitsTests
{
    private const uint F32SignallingNaN = 0x7FA0_0000;
    private const uint F32NegativeSignallingNaN = 0xFF80_F1E2;
    private const uint F32QuietBit = 0x0040_0000;
    private const ulong F64SignallingNaN = 0x7FF4_0000_0000_0000;
    private const ulong F64QuietBit = 0x0008_0000_0000_0000;

    private static readonly Instance Module = Wat.Instantiate("""
        (module
          (memory 1)
          (func (export "f32.snan") (result f32) (f32.const nan:0x200000))
          (func (export "f32.snan_bits") (result i32) (i32.reinterpret_f32 (f32.const nan:0x200000)))
          (func (export "f32.neg_snan") (result f32) (f32.const -nan:0x0f1e2))
          (func (export "f64.snan") (result f64) (f64.const nan:0x4000000000000))
          (func (export "f64.snan_bits") (result i64) (i64.reinterpret_f64 (f64.const nan:0x4000000000000)))
          (func (export "f32.reinterpret_const") (result f32) (f32.reinterpret_i32 (i32.const 0x7fa00000)))
          (func (export "f64.reinterpret_const") (result f64) (f64.reinterpret_i64 (i64.const 0x7ff4000000000000)))
          (func (export "f32.mul_reinterpreted_one") (param f32) (result f32)
            (f32.mul (local.get 0) (f32.reinterpret_i32 (i32.const 0x3f800000))))
          (func (export "f32.tee_neg") (param f32) (result f32) (f32.neg (local.tee 0 (f32.const -nan:0x0f1e2))))
          (func (export "f32.tee") (result f32) (local f32) (local.tee 0 (f32.const nan:0x200000)))
          (func (export "f32.store_const") (result i32)
            (f32.store (i32.const 8) (f32.const nan:0x200000))
            (i32.load (i32.const 8)))
          (func (export "f64.store_const") (result i64)
            (f64.store (i32.const 16) (f64.const nan:0x4000000000000))
            (i64.load (i32.const 16)))
          (func (export "f32.store_load") (param f32) (result f32)
            (f32.store (i32.const 32) (local.get 0))
            (f32.load (i32.const 32)))

          (func (export "f32.sub_zero") (param f32) (result f32) (f32.sub (local.get 0) (f32.const 0.0)))
          (func (export "f32.add_neg_zero") (param f32) (result f32) (f32.add (local.get 0) (f32.const -0.0)))
          (func (export "f32.neg_zero_add") (param f32) (result f32) (f32.add (f32.const -0.0) (local.get 0)))
          (func (export "f32.mul_one") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 1.0)))
          (func (export "f32.one_mul") (param f32) (result f32) (f32.mul (f32.const 1.0) (local.get 0)))
          (func (export "f32.mul_neg_one") (param f32) (result f32) (f32.mul (local.get 0) (f32.const -1.0)))
          (func (export "f32.div_one") (param f32) (result f32) (f32.div (local.get 0) (f32.const 1.0)))
          (func (export "f32.div_neg_one") (param f32) (result f32) (f32.div (local.get 0) (f32.const -1.0)))
          (func (export "f32.neg_zero_sub") (param f32) (result f32) (f32.sub (f32.const -0.0) (local.get 0)))
          (func (export "f32.min_neg_zero") (param f32) (result f32) (f32.min (local.get 0) (f32.const -0.0)))
          (func (export "f32.mul_one_local") (param f32) (result f32) (local f32)
            (local.set 1 (f32.const 1.0))
            (f32.mul (local.get 0) (local.get 1)))
          (func (export "f32.mul_one_snan_const") (result f32) (f32.mul (f32.const nan:0x200000) (f32.const 1.0)))

          (func (export "f64.sub_zero") (param f64) (result f64) (f64.sub (local.get 0) (f64.const 0.0)))
          (func (export "f64.add_neg_zero") (param f64) (result f64) (f64.add (local.get 0) (f64.const -0.0)))
          (func (export "f64.mul_one") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 1.0)))
          (func (export "f64.mul_neg_one") (param f64) (result f64) (f64.mul (local.get 0) (f64.const -1.0)))
          (func (export "f64.div_one") (param f64) (result f64) (f64.div (local.get 0) (f64.const 1.0)))
          (func (export "f64.neg_zero_sub") (param f64) (result f64) (f64.sub (f64.const -0.0) (local.get 0)))
          (func (export "f64.max_neg_zero") (param f64) (result f64) (f64.max (local.get 0) (f64.const -0.0)))
          (func (export "f64.mul_one_snan_const") (result f64) (f64.mul (f64.const nan:0x4000000000000) (f64.const 1.0))))
        """);

    private static ulong Bits(string name, params Value[] arguments) => Module.GetFunction(name)!.Invoke(arguments)[0].Bits;

    [Fact]
    public void SignallingNaNConstantsKeepTheirBits()
    {
        Assert.Equal(F32SignallingNaN, Bits("f32.snan"));
        Assert.Equal(F32SignallingNaN, Bits("f32.snan_bits"));
        Assert.Equal(F32NegativeSignallingNaN, Bits("f32.neg_snan"));
        Assert.Equal(F64SignallingNaN, Bits("f64.snan"));
        Assert.Equal(F64SignallingNaN, Bits("f64.snan_bits"));
    }

    [Fact]
    public void ReinterpretingAnIntegerConstantKeepsASignallingNaN()
    {
        Assert.Equal(F32SignallingNaN, Bits("f32.reinterpret_const"));
        Assert.Equal(F64SignallingNaN, Bits("f64.reinterpret_const"));
    }

    [Fact]
    public void SignallingNaNsKeepTheirBitsThroughLocalTee()
    {
        Assert.Equal(F32SignallingNaN, Bits("f32.tee"));
        Assert.Equal(F32NegativeSignallingNaN ^ 0x8000_0000u, Bits("f32.tee_neg", Value.F32(0f)));
    }

    [Fact]
    public void SignallingNaNsKeepTheirBitsThroughMemory()
    {
        Assert.Equal(F32SignallingNaN, Bits("f32.store_const"));
        Assert.Equal(F64SignallingNaN, Bits("f64.store_const"));
        Assert.Equal(F32SignallingNaN, Bits("f32.store_load", Value.F32Bits(F32SignallingNaN)));
    }

    [Theory]
    [InlineData("f32.sub_zero")]
    [InlineData("f32.add_neg_zero")]
    [InlineData("f32.neg_zero_add")]
    [InlineData("f32.mul_one")]
    [InlineData("f32.one_mul")]
    [InlineData("f32.mul_neg_one")]
    [InlineData("f32.div_one")]
    [InlineData("f32.div_neg_one")]
    [InlineData("f32.neg_zero_sub")]
    [InlineData("f32.min_neg_zero")]
    [InlineData("f32.mul_one_local")]
    [InlineData("f32.mul_reinterpreted_one")]
    public void F32ArithmeticWithAnIdentityConstantQuietsASignallingNaN(string name)
    {
        var bits = (uint)Bits(name, Value.F32Bits(F32SignallingNaN));
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle(bits)), $"{name} returned {bits:x8}, not a NaN");
        Assert.True((bits & F32QuietBit) != 0, $"{name} returned {bits:x8}, a signalling NaN");
    }

    [Theory]
    [InlineData("f64.sub_zero")]
    [InlineData("f64.add_neg_zero")]
    [InlineData("f64.mul_one")]
    [InlineData("f64.mul_neg_one")]
    [InlineData("f64.div_one")]
    [InlineData("f64.neg_zero_sub")]
    [InlineData("f64.max_neg_zero")]
    public void F64ArithmeticWithAnIdentityConstantQuietsASignallingNaN(string name)
    {
        var bits = Bits(name, Value.F64Bits(F64SignallingNaN));
        Assert.True(double.IsNaN(BitConverter.UInt64BitsToDouble(bits)), $"{name} returned {bits:x16}, not a NaN");
        Assert.True((bits & F64QuietBit) != 0, $"{name} returned {bits:x16}, a signalling NaN");
    }

    [Fact]
    public void ArithmeticOnASignallingNaNConstantQuietsIt()
    {
        var f32 = (uint)Bits("f32.mul_one_snan_const");
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle(f32)) && (f32 & F32QuietBit) != 0, $"f32 returned {f32:x8}");
        var f64 = Bits("f64.mul_one_snan_const");
        Assert.True(double.IsNaN(BitConverter.UInt64BitsToDouble(f64)) && (f64 & F64QuietBit) != 0, $"f64 returned {f64:x16}");
    }

    [Fact]
    public void IdentityConstantsStillComputeOrdinaryValues()
    {
        Assert.Equal(BitConverter.SingleToUInt32Bits(2.5f), Bits("f32.mul_one", Value.F32(2.5f)));
        Assert.Equal(BitConverter.SingleToUInt32Bits(-2.5f), Bits("f32.div_neg_one", Value.F32(2.5f)));
        Assert.Equal(BitConverter.SingleToUInt32Bits(-0f), Bits("f32.sub_zero", Value.F32(-0f)));
        Assert.Equal(BitConverter.SingleToUInt32Bits(-0f), Bits("f32.add_neg_zero", Value.F32(-0f)));
        Assert.Equal(BitConverter.DoubleToUInt64Bits(-7.25), Bits("f64.mul_neg_one", Value.F64(7.25)));
        Assert.Equal(BitConverter.DoubleToUInt64Bits(-0.0), Bits("f64.max_neg_zero", Value.F64(-1.0)));
    }
}
