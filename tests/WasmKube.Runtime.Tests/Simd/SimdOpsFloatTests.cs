using WasmKube.Runtime.Compilation.Simd;
using static WasmKube.Runtime.Tests.Simd.LaneVectors;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>Float SIMD helpers: NaN rules, signed zeros, rounding and conversions (spec §4.3.3, §4.3.4).</summary>
public sealed class SimdOpsFloatTests
{
    private const uint PositiveZero32 = 0x0000_0000;
    private const uint NegativeZero32 = 0x8000_0000;
    private const uint SignallingNaN32 = 0x7F80_0001;
    private const uint NegativeNaNPayload32 = 0xFFA0_1234; // quiet bit clear, sign set
    private const ulong NegativeZero64 = 0x8000_0000_0000_0000;
    private const ulong SignallingNaN64 = 0x7FF0_0000_0000_0001;

    private static bool IsArithmeticNaN32(uint bits) => (bits & 0x7FC0_0000) == 0x7FC0_0000;

    private static bool IsArithmeticNaN64(ulong bits) => (bits & 0x7FF8_0000_0000_0000) == 0x7FF8_0000_0000_0000;

    [Fact]
    public void AbsAndNegChangeOnlyTheSignBit()
    {
        var input = F32Bits(SignallingNaN32, NegativeNaNPayload32, NegativeZero32, 0x3F80_0000);
        Assert.Equal([SignallingNaN32, 0x7FA0_1234u, PositiveZero32, 0x3F80_0000u], AsF32Bits(SimdOps.F32x4Abs(input)));
        Assert.Equal([0xFF80_0001u, 0x7FA0_1234u, PositiveZero32, 0xBF80_0000u], AsF32Bits(SimdOps.F32x4Neg(input)));

        var wide = F64Bits(SignallingNaN64, NegativeZero64);
        Assert.Equal([SignallingNaN64, 0ul], AsF64Bits(SimdOps.F64x2Abs(wide)));
        Assert.Equal([0xFFF0_0000_0000_0001ul, 0ul], AsF64Bits(SimdOps.F64x2Neg(wide)));
    }

    [Fact]
    public void MinAndMaxPropagateNaNAndOrderZeros()
    {
        var a = F32Bits(PositiveZero32, NegativeZero32, SignallingNaN32, 0x3F80_0000); // +0, -0, sNaN, 1
        var b = F32Bits(NegativeZero32, PositiveZero32, 0x3F80_0000, 0xFFC0_0000);   // -0, +0, 1, -NaN

        var min = AsF32Bits(SimdOps.F32x4Min(a, b));
        Assert.Equal(NegativeZero32, min[0]);
        Assert.Equal(NegativeZero32, min[1]);
        Assert.True(IsArithmeticNaN32(min[2]), $"min with a signalling NaN gave 0x{min[2]:x8}");
        Assert.True(IsArithmeticNaN32(min[3]), $"min with a NaN gave 0x{min[3]:x8}");

        var max = AsF32Bits(SimdOps.F32x4Max(a, b));
        Assert.Equal(PositiveZero32, max[0]);
        Assert.Equal(PositiveZero32, max[1]);
        Assert.True(IsArithmeticNaN32(max[2]));
        Assert.True(IsArithmeticNaN32(max[3]));

        Assert.Equal([-2f, -1f, 1f, float.NegativeInfinity],
            AsF32Bits(SimdOps.F32x4Min(F32(-2, 3, 1, float.NegativeInfinity), F32(5, -1, float.PositiveInfinity, 0))).Select(BitsToSingle));

        var wideMin = AsF64Bits(SimdOps.F64x2Min(F64Bits(0, SignallingNaN64), F64Bits(NegativeZero64, 0)));
        Assert.Equal(NegativeZero64, wideMin[0]);
        Assert.True(IsArithmeticNaN64(wideMin[1]));
        var wideMax = AsF64Bits(SimdOps.F64x2Max(F64Bits(NegativeZero64, 0x3FF0_0000_0000_0000), F64Bits(0, SignallingNaN64)));
        Assert.Equal(0ul, wideMax[0]);
        Assert.True(IsArithmeticNaN64(wideMax[1]));
    }

    [Fact]
    public void PseudoMinMaxSelectAnOperandUnchanged()
    {
        // pmin = b < a ? b : a; pmax = a < b ? b : a. Comparisons with NaN are false, so the first operand wins.
        var a = F32Bits(SignallingNaN32, 0x3F80_0000, PositiveZero32, NegativeZero32);
        var b = F32Bits(0x3F80_0000, SignallingNaN32, NegativeZero32, PositiveZero32);
        Assert.Equal([SignallingNaN32, 0x3F80_0000u, PositiveZero32, NegativeZero32], AsF32Bits(SimdOps.F32x4Pmin(a, b)));
        Assert.Equal([SignallingNaN32, 0x3F80_0000u, PositiveZero32, NegativeZero32], AsF32Bits(SimdOps.F32x4Pmax(a, b)));
        Assert.Equal([1f, 2f, 2f, 3f], AsF32Bits(SimdOps.F32x4Pmin(F32(1, 2, 3, 3), F32(2, 2, 2, 4))).Select(BitsToSingle));
        Assert.Equal([2f, 2f, 3f, 4f], AsF32Bits(SimdOps.F32x4Pmax(F32(1, 2, 3, 3), F32(2, 2, 2, 4))).Select(BitsToSingle));
        Assert.Equal([SignallingNaN64, 0x4000_0000_0000_0000ul],
            AsF64Bits(SimdOps.F64x2Pmax(F64Bits(SignallingNaN64, 0x3FF0_0000_0000_0000), F64Bits(0x3FF0_0000_0000_0000, 0x4000_0000_0000_0000))));
    }

    [Fact]
    public void RoundingKeepsZeroSignsAndTiesToEven()
    {
        var input = F32(-0.5f, 0.5f, 2.5f, -3.5f);
        Assert.Equal([NegativeZero32, 0x3F80_0000u, 0x4040_0000u, 0xC040_0000u], AsF32Bits(SimdOps.F32x4Ceil(input)));
        Assert.Equal([0xBF80_0000u, PositiveZero32, 0x4000_0000u, 0xC080_0000u], AsF32Bits(SimdOps.F32x4Floor(input)));
        Assert.Equal([NegativeZero32, PositiveZero32, 0x4000_0000u, 0xC040_0000u], AsF32Bits(SimdOps.F32x4Trunc(input)));
        Assert.Equal([NegativeZero32, PositiveZero32, 0x4000_0000u, 0xC080_0000u], AsF32Bits(SimdOps.F32x4Nearest(input)));

        // 2^52 + 0.5 is not representable; 4503599627370497 (odd) stays; 0.49999999999999994 rounds to 0.
        var wide = F64(4503599627370497, 0.49999999999999994);
        Assert.Equal([4503599627370497d, 0d], AsF64Bits(SimdOps.F64x2Nearest(wide)).Select(BitConverter.UInt64BitsToDouble));
        Assert.Equal([NegativeZero64, 0x4000_0000_0000_0000ul], AsF64Bits(SimdOps.F64x2Nearest(F64(-0.5, 1.5))));
    }

    [Fact]
    public void RoundingQuietsNaNs()
    {
        var nan = F32Bits(SignallingNaN32, NegativeNaNPayload32, 0x7FC0_0000, 0xFFC0_0000);
        foreach (var op in new Func<System.Runtime.Intrinsics.Vector128<byte>, System.Runtime.Intrinsics.Vector128<byte>>[]
                 { SimdOps.F32x4Ceil, SimdOps.F32x4Floor, SimdOps.F32x4Trunc, SimdOps.F32x4Nearest, SimdOps.F32x4Sqrt })
        {
            Assert.All(AsF32Bits(op(nan)), bits => Assert.True(IsArithmeticNaN32(bits), $"0x{bits:x8} is not an arithmetic NaN"));
        }
        Assert.All(AsF64Bits(SimdOps.F64x2Ceil(F64Bits(SignallingNaN64, SignallingNaN64))), bits => Assert.True(IsArithmeticNaN64(bits)));
    }

    [Fact]
    public void TruncSatMapsNaNToZeroAndSaturates()
    {
        var input = F32Bits(0x7FC0_0000, 0x4F00_0000, 0xCF00_0001, 0xBF7F_FFFF); // NaN, 2^31, just below -2^31, -0.99999994
        Assert.Equal([0, int.MaxValue, int.MinValue, 0], AsI32(SimdOps.I32x4TruncSatF32x4S(input)));
        Assert.Equal([0u, 2147483648u, 0u, 0u], AsU32(SimdOps.I32x4TruncSatF32x4U(input)));
        Assert.Equal([-2, 2, int.MaxValue, int.MinValue],
            AsI32(SimdOps.I32x4TruncSatF32x4S(F32(-2.9f, 2.9f, float.PositiveInfinity, float.NegativeInfinity))));
        Assert.Equal([uint.MaxValue, 4294967040u, 0u, 0u],
            AsU32(SimdOps.I32x4TruncSatF32x4U(F32(4294967296f, 4294967040f, float.NegativeInfinity, -0f))));

        Assert.Equal([int.MaxValue, -2147483648, 0, 0], AsI32(SimdOps.I32x4TruncSatF64x2SZero(F64(2147483647.9, -2147483648.9))));
        Assert.Equal([0, 0, 0, 0], AsI32(SimdOps.I32x4TruncSatF64x2SZero(F64Bits(0x7FF8_0000_0000_0000, SignallingNaN64))));
        Assert.Equal([4294967295u, 1u, 0u, 0u], AsU32(SimdOps.I32x4TruncSatF64x2UZero(F64(4294967295.5, 1.9))));
        Assert.Equal([0u, uint.MaxValue, 0u, 0u], AsU32(SimdOps.I32x4TruncSatF64x2UZero(F64(-1.5, 1e300))));
    }

    [Fact]
    public void ConversionsRoundToNearestEven()
    {
        // 16777217 = 2^24 + 1 ties to 2^24; 16777219 ties up to 16777220; uint.MaxValue rounds to 2^32.
        Assert.Equal([16777216f, 16777220f, -16777216f, -2147483648f],
            AsF32Bits(SimdOps.F32x4ConvertI32x4S(I32(16777217, 16777219, -16777217, int.MinValue))).Select(BitsToSingle));
        Assert.Equal([4294967296f, 2147483648f, 16777216f, 0f],
            AsF32Bits(SimdOps.F32x4ConvertI32x4U(I32(-1, int.MinValue, 16777217, 0))).Select(BitsToSingle));
        Assert.Equal([-1d, 2147483647d], AsF64Bits(SimdOps.F64x2ConvertLowI32x4S(I32(-1, int.MaxValue, 5, 6))).Select(BitConverter.UInt64BitsToDouble));
        Assert.Equal([4294967295d, 2147483648d], AsF64Bits(SimdOps.F64x2ConvertLowI32x4U(I32(-1, int.MinValue, 5, 6))).Select(BitConverter.UInt64BitsToDouble));
    }

    [Fact]
    public void ConversionsMatchTheSpecDefinitionOnRandomLanes()
    {
        // trunc_sat: NaN -> 0, otherwise truncate and clamp (computed in double, where every f32 and i32 is exact).
        static int SatS(double x) => double.IsNaN(x) ? 0 : (int)Math.Clamp(Math.Truncate(x), int.MinValue, int.MaxValue);
        static uint SatU(double x) => double.IsNaN(x) ? 0 : (uint)Math.Clamp(Math.Truncate(x), 0, uint.MaxValue);

        foreach (var v in Samples(seed: 7, count: 500))
        {
            var singles = AsF32Bits(v).Select(BitsToSingle).ToArray();
            var doubles = AsF64Bits(v).Select(BitConverter.UInt64BitsToDouble).ToArray();
            Assert.Equal(singles.Select(x => SatS(x)), AsI32(SimdOps.I32x4TruncSatF32x4S(v)));
            Assert.Equal(singles.Select(x => SatU(x)), AsU32(SimdOps.I32x4TruncSatF32x4U(v)));
            Assert.Equal(doubles.Select(SatS).Append(0).Append(0), AsI32(SimdOps.I32x4TruncSatF64x2SZero(v)));
            Assert.Equal(doubles.Select(SatU).Append(0u).Append(0u), AsU32(SimdOps.I32x4TruncSatF64x2UZero(v)));

            // A u32 is exact in f64, so converting through f64 rounds only once.
            Assert.Equal(AsU32(v).Select(u => (float)(double)u), AsF32Bits(SimdOps.F32x4ConvertI32x4U(v)).Select(BitsToSingle));
            Assert.Equal(AsU32(v).Take(2).Select(u => (double)u), AsF64Bits(SimdOps.F64x2ConvertLowI32x4U(v)).Select(BitConverter.UInt64BitsToDouble));
            Assert.Equal(AsI32(v).Take(2).Select(i => (double)i), AsF64Bits(SimdOps.F64x2ConvertLowI32x4S(v)).Select(BitConverter.UInt64BitsToDouble));
        }
    }

    [Fact]
    public void DemoteZeroesUpperLanesAndPromoteReadsLowerLanes()
    {
        var demoted = AsF32Bits(SimdOps.F32x4DemoteF64x2Zero(F64(1.0000000596046448, 1e300)));
        // 1 + 2^-24 exactly halfway between 1 and 1+2^-23: ties to even gives 1.
        Assert.Equal([0x3F80_0000u, 0x7F80_0000u, 0u, 0u], demoted);
        Assert.True(IsArithmeticNaN32(AsF32Bits(SimdOps.F32x4DemoteF64x2Zero(F64Bits(SignallingNaN64, 0)))[0]));

        var promoted = AsF64Bits(SimdOps.F64x2PromoteLowF32x4(F32(0.1f, -0f, 7f, 8f)));
        Assert.Equal([(double)0.1f, -0d], promoted.Select(BitConverter.UInt64BitsToDouble));
        Assert.Equal(NegativeZero64, promoted[1]);
    }

    [Fact]
    public void ComparisonsWithNaNAreFalseExceptNe()
    {
        var a = F32Bits(0x7FC0_0000, PositiveZero32, 0x3F80_0000, 0x3F80_0000);
        var b = F32Bits(0x7FC0_0000, NegativeZero32, 0x4000_0000, 0x7FC0_0000);
        Assert.Equal([0u, ~0u, 0u, 0u], AsU32(SimdOps.F32x4Eq(a, b)));
        Assert.Equal([~0u, 0u, ~0u, ~0u], AsU32(SimdOps.F32x4Ne(a, b)));
        Assert.Equal([0u, 0u, ~0u, 0u], AsU32(SimdOps.F32x4Lt(a, b)));
        Assert.Equal([0u, ~0u, 0u, 0u], AsU32(SimdOps.F32x4Ge(a, b)));
    }

    private static float BitsToSingle(uint bits) => BitConverter.UInt32BitsToSingle(bits);
}
