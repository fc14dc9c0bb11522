using System.Numerics;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Compilation.Simd;
using static WasmKube.Runtime.Tests.Simd.LaneVectors;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>
/// Integer SIMD helpers against scalar references written from the spec's definitions (§4.3.2), over hand-picked
/// edge cases and edge-heavy random vectors.
/// </summary>
public sealed class SimdOpsIntegerTests
{
    private static readonly Vector128<byte>[] Inputs = [.. Samples(seed: 1, count: 300)];

    private static IEnumerable<(Vector128<byte> A, Vector128<byte> B)> Pairs() =>
        Inputs.Zip(Inputs.Skip(1).Append(Inputs[0]));

    [Fact]
    public void Q15MultiplicationSaturatesOnlyMinTimesMin()
    {
        var a = I16(short.MinValue, short.MinValue, 16384, 1, 1, -1, short.MaxValue, 0);
        var b = I16(short.MinValue, short.MaxValue, 16384, 16384, 16383, 16384, short.MaxValue, 5);

        // (a*b + 2^14) >> 15, worked by hand: 2^30 saturates; -1073709056+16384 = -32766.5*2^15 -> -32767;
        // 2^28+2^14 -> 8192; 2^14+2^14 -> 1; 16383+16384 -> 0; -16384+16384 -> 0; 1073676289+16384 -> 32766.
        Assert.Equal([32767, -32767, 8192, 1, 0, 0, 32766, 0], AsI16(SimdOps.I16x8Q15mulrSatS(a, b)));
    }

    [Fact]
    public void Q15MultiplicationMatchesSpecFormula()
    {
        foreach (var (a, b) in Pairs())
        {
            var expected = AsI16(a).Zip(AsI16(b), (x, y) => (short)Math.Clamp((x * y + 0x4000) >> 15, short.MinValue, short.MaxValue));
            Assert.Equal(expected, AsI16(SimdOps.I16x8Q15mulrSatS(a, b)));
        }
    }

    [Fact]
    public void SaturatingArithmeticClampsToTheLaneRange()
    {
        Assert.Equal([127, -128, 0, -1], AsI8(SimdOps.I8x16AddSatS(I8(100, -100, 0, -1), I8(100, -100, 0, 0)))[..4]);
        Assert.Equal([255, 254, 0, 1], AsU8(SimdOps.I8x16AddSatU(U8(200, 254, 0, 1), U8(100, 0, 0, 0)))[..4]);
        Assert.Equal([-128, 127, 2], AsI8(SimdOps.I8x16SubSatS(I8(-100, 100, 1), I8(100, -100, -1)))[..3]);
        Assert.Equal([0, 99], AsU8(SimdOps.I8x16SubSatU(U8(1, 100), U8(2, 1)))[..2]);
        Assert.Equal([short.MaxValue, short.MinValue], AsI16(SimdOps.I16x8AddSatS(I16(30000, -30000), I16(30000, -30000)))[..2]);
        Assert.Equal([short.MinValue, short.MaxValue], AsI16(SimdOps.I16x8SubSatS(I16(-30000, 30000), I16(30000, -30000)))[..2]);
        Assert.Equal([(ushort)65535, (ushort)0], AsU16(SimdOps.I16x8AddSatU(I16(-2, 0), I16(100, 0)))[..2]);
        Assert.Equal([(ushort)0, (ushort)65534], AsU16(SimdOps.I16x8SubSatU(I16(5, -1), I16(6, 1)))[..2]);

        foreach (var (a, b) in Pairs())
        {
            Assert.Equal(AsI8(a).Zip(AsI8(b), (x, y) => (sbyte)Math.Clamp(x + y, -128, 127)), AsI8(SimdOps.I8x16AddSatS(a, b)));
            Assert.Equal(AsU8(a).Zip(AsU8(b), (x, y) => (byte)Math.Clamp(x - y, 0, 255)), AsU8(SimdOps.I8x16SubSatU(a, b)));
            Assert.Equal(AsI16(a).Zip(AsI16(b), (x, y) => (short)Math.Clamp(x - y, -32768, 32767)), AsI16(SimdOps.I16x8SubSatS(a, b)));
            Assert.Equal(AsU16(a).Zip(AsU16(b), (x, y) => (ushort)Math.Clamp(x + y, 0, 65535)), AsU16(SimdOps.I16x8AddSatU(a, b)));
        }
    }

    [Fact]
    public void AverageRoundsHalfUp()
    {
        Assert.Equal([255, 128, 1, 2], AsU8(SimdOps.I8x16AvgrU(U8(255, 255, 0, 1), U8(255, 0, 1, 2)))[..4]);
        Assert.Equal([(ushort)65535, (ushort)32768], AsU16(SimdOps.I16x8AvgrU(I16(-1, -1), I16(-1, 0)))[..2]);
        foreach (var (a, b) in Pairs())
        {
            Assert.Equal(AsU8(a).Zip(AsU8(b), (x, y) => (byte)((x + y + 1) / 2)), AsU8(SimdOps.I8x16AvgrU(a, b)));
            Assert.Equal(AsU16(a).Zip(AsU16(b), (x, y) => (ushort)((x + y + 1) / 2)), AsU16(SimdOps.I16x8AvgrU(a, b)));
        }
    }

    [Fact]
    public void AbsOfTheMinimumValueWrapsToItself()
    {
        Assert.Equal([-128, 127, 1, 0], AsI8(SimdOps.I8x16Abs(I8(-128, -127, 1, 0)))[..4]);
        Assert.Equal([short.MinValue, 32767], AsI16(SimdOps.I16x8Abs(I16(short.MinValue, -32767)))[..2]);
        Assert.Equal([int.MinValue, 5, 5, int.MaxValue], AsI32(SimdOps.I32x4Abs(I32(int.MinValue, -5, 5, -int.MaxValue))));
        Assert.Equal([long.MinValue, long.MaxValue], AsI64(SimdOps.I64x2Abs(I64(long.MinValue, -long.MaxValue))));
    }

    [Fact]
    public void NegationWraps()
    {
        Assert.Equal([-128, 127, 0], AsI8(SimdOps.I8x16Neg(I8(-128, -127, 0)))[..3]);
        Assert.Equal([long.MinValue, -1], AsI64(SimdOps.I64x2Neg(I64(long.MinValue, 1))));
    }

    [Fact]
    public void PopcntCountsBitsPerByte()
    {
        Assert.Equal([0, 1, 8, 4, 4, 1], AsU8(SimdOps.I8x16Popcnt(U8(0x00, 0x80, 0xFF, 0x0F, 0xAA, 0x01)))[..6]);
        foreach (var a in Inputs)
        {
            Assert.Equal(AsU8(a).Select(x => (byte)BitOperations.PopCount(x)), AsU8(SimdOps.I8x16Popcnt(a)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void ShiftCountsAreTakenModuloTheLaneWidth(int amount)
    {
        foreach (var a in Inputs.Take(40))
        {
            Assert.Equal(AsU8(a).Select(x => (byte)(x << (amount & 7))), AsU8(SimdOps.I8x16Shl(a, amount)));
            Assert.Equal(AsI8(a).Select(x => (sbyte)(x >> (amount & 7))), AsI8(SimdOps.I8x16ShrS(a, amount)));
            Assert.Equal(AsU8(a).Select(x => (byte)(x >>> (amount & 7))), AsU8(SimdOps.I8x16ShrU(a, amount)));
            Assert.Equal(AsU16(a).Select(x => (ushort)(x << (amount & 15))), AsU16(SimdOps.I16x8Shl(a, amount)));
            Assert.Equal(AsI16(a).Select(x => (short)(x >> (amount & 15))), AsI16(SimdOps.I16x8ShrS(a, amount)));
            Assert.Equal(AsU16(a).Select(x => (ushort)(x >>> (amount & 15))), AsU16(SimdOps.I16x8ShrU(a, amount)));
            Assert.Equal(AsI32(a).Select(x => x << (amount & 31)), AsI32(SimdOps.I32x4Shl(a, amount)));
            Assert.Equal(AsI32(a).Select(x => x >> (amount & 31)), AsI32(SimdOps.I32x4ShrS(a, amount)));
            Assert.Equal(AsU32(a).Select(x => x >>> (amount & 31)), AsU32(SimdOps.I32x4ShrU(a, amount)));
            Assert.Equal(AsI64(a).Select(x => x << (amount & 63)), AsI64(SimdOps.I64x2Shl(a, amount)));
            Assert.Equal(AsI64(a).Select(x => x >> (amount & 63)), AsI64(SimdOps.I64x2ShrS(a, amount)));
            Assert.Equal(AsI64(a).Select(x => (long)((ulong)x >>> (amount & 63))), AsI64(SimdOps.I64x2ShrU(a, amount)));
        }
    }

    [Fact]
    public void NarrowingSaturatesSignedInputs()
    {
        var a = I16(300, -300, 127, -128, 128, -129, 255, 256);
        var b = I16(0, 1, -1, 32767, -32768, 100, -100, 42);
        Assert.Equal([127, -128, 127, -128, 127, -128, 127, 127, 0, 1, -1, 127, -128, 100, -100, 42],
            AsI8(SimdOps.I8x16NarrowI16x8S(a, b)));
        Assert.Equal([255, 0, 127, 0, 128, 0, 255, 255, 0, 1, 0, 255, 0, 100, 0, 42],
            AsU8(SimdOps.I8x16NarrowI16x8U(a, b)));

        var c = I32(70000, -70000, 65535, -1);
        var d = I32(32768, -32769, 0, int.MinValue);
        Assert.Equal([32767, -32768, 32767, -1, 32767, -32768, 0, -32768], AsI16(SimdOps.I16x8NarrowI32x4S(c, d)));
        Assert.Equal([(ushort)65535, (ushort)0, (ushort)65535, (ushort)0, (ushort)32768, (ushort)0, (ushort)0, (ushort)0],
            AsU16(SimdOps.I16x8NarrowI32x4U(c, d)));
    }

    [Fact]
    public void ExtendedMultiplicationUsesTheSelectedHalf()
    {
        foreach (var (a, b) in Pairs())
        {
            var x8 = AsI8(a);
            var y8 = AsI8(b);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (short)(x8[i] * y8[i])), AsI16(SimdOps.I16x8ExtmulLowI8x16S(a, b)));
            Assert.Equal(Enumerable.Range(8, 8).Select(i => (short)(x8[i] * y8[i])), AsI16(SimdOps.I16x8ExtmulHighI8x16S(a, b)));
            var u8 = AsU8(a);
            var v8 = AsU8(b);
            Assert.Equal(Enumerable.Range(8, 8).Select(i => (ushort)(u8[i] * v8[i])), AsU16(SimdOps.I16x8ExtmulHighI8x16U(a, b)));
            var x16 = AsI16(a);
            var y16 = AsI16(b);
            Assert.Equal(Enumerable.Range(0, 4).Select(i => x16[i] * y16[i]), AsI32(SimdOps.I32x4ExtmulLowI16x8S(a, b)));
            var u16 = AsU16(a);
            var v16 = AsU16(b);
            Assert.Equal(Enumerable.Range(4, 4).Select(i => (uint)(u16[i] * v16[i])), AsU32(SimdOps.I32x4ExtmulHighI16x8U(a, b)));
            var x32 = AsI32(a);
            var y32 = AsI32(b);
            Assert.Equal(Enumerable.Range(2, 2).Select(i => (long)x32[i] * y32[i]), AsI64(SimdOps.I64x2ExtmulHighI32x4S(a, b)));
            var u32 = AsU32(a);
            var v32 = AsU32(b);
            Assert.Equal(Enumerable.Range(0, 2).Select(i => (long)((ulong)u32[i] * v32[i])), AsI64(SimdOps.I64x2ExtmulLowI32x4U(a, b)));
        }
    }

    [Fact]
    public void DotProductWrapsTheOnlyOverflowingSum()
    {
        var min = I16(short.MinValue, short.MinValue, 1, 2, -3, 4, 0, 0);
        // 2 * 2^30 = 2^31 wraps to int.MinValue; 1*5 + 2*6 = 17; -3*7 + 4*-8 = -53.
        Assert.Equal([int.MinValue, 17, -53, 0], AsI32(SimdOps.I32x4DotI16x8S(min, I16(short.MinValue, short.MinValue, 5, 6, 7, -8, 0, 0))));
        foreach (var (a, b) in Pairs())
        {
            var x = AsI16(a);
            var y = AsI16(b);
            Assert.Equal(Enumerable.Range(0, 4).Select(i => unchecked(x[2 * i] * y[2 * i] + x[2 * i + 1] * y[2 * i + 1])),
                AsI32(SimdOps.I32x4DotI16x8S(a, b)));
        }
    }

    [Fact]
    public void PairwiseAdditionExtendsBeforeAdding()
    {
        foreach (var a in Inputs)
        {
            var s8 = AsI8(a);
            var u8 = AsU8(a);
            var s16 = AsI16(a);
            var u16 = AsU16(a);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (short)(s8[2 * i] + s8[2 * i + 1])), AsI16(SimdOps.I16x8ExtaddPairwiseI8x16S(a)));
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (ushort)(u8[2 * i] + u8[2 * i + 1])), AsU16(SimdOps.I16x8ExtaddPairwiseI8x16U(a)));
            Assert.Equal(Enumerable.Range(0, 4).Select(i => s16[2 * i] + s16[2 * i + 1]), AsI32(SimdOps.I32x4ExtaddPairwiseI16x8S(a)));
            Assert.Equal(Enumerable.Range(0, 4).Select(i => (uint)(u16[2 * i] + u16[2 * i + 1])), AsU32(SimdOps.I32x4ExtaddPairwiseI16x8U(a)));
        }
    }

    [Fact]
    public void ExtensionSignOrZeroExtends()
    {
        var a = I8(-1, 2, -128, 127, 0, 0, 0, 0, -2, 3, 4, 5, 6, 7, 8, -9);
        Assert.Equal([-1, 2, -128, 127, 0, 0, 0, 0], AsI16(SimdOps.I16x8ExtendLowI8x16S(a)));
        Assert.Equal([(ushort)254, (ushort)3, (ushort)4, (ushort)5, (ushort)6, (ushort)7, (ushort)8, (ushort)247], AsU16(SimdOps.I16x8ExtendHighI8x16U(a)));
        var b = I32(-1, int.MinValue, 7, -7);
        Assert.Equal([7L, -7L], AsI64(SimdOps.I64x2ExtendHighI32x4S(b)));
        Assert.Equal([4294967295L, 2147483648L], AsI64(SimdOps.I64x2ExtendLowI32x4U(b)));
    }

    [Fact]
    public void SignedAndUnsignedMinMaxDiffer()
    {
        var a = I8(-1, 1);
        var b = I8(1, -1);
        Assert.Equal([-1, -1], AsI8(SimdOps.I8x16MinS(a, b))[..2]);
        Assert.Equal([1, 1], AsI8(SimdOps.I8x16MinU(a, b))[..2]);
        Assert.Equal([int.MaxValue, -1], AsI32(SimdOps.I32x4MaxS(I32(int.MaxValue, -1, 0, 0), I32(int.MinValue, -2, 0, 0)))[..2]);
        Assert.Equal([int.MinValue, -1], AsI32(SimdOps.I32x4MaxU(I32(int.MaxValue, -1, 0, 0), I32(int.MinValue, -2, 0, 0)))[..2]);
    }

    [Fact]
    public void WideMultiplicationWraps()
    {
        Assert.Equal([0L, -2L], AsI64(SimdOps.I64x2Mul(I64(long.MinValue, long.MaxValue), I64(2, 2))));
        Assert.Equal([1, int.MinValue, 0, 0], AsI32(SimdOps.I32x4Mul(I32(-1, 65536, 0, 0), I32(-1, 32768, 0, 0))));
    }
}
