using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Compilation.Simd;
using static WasmKube.Runtime.Tests.Simd.LaneVectors;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>Lane access, shuffles, bit operations and the memory-form helpers (spec §4.4.3, §4.4.7).</summary>
public sealed class SimdOpsLaneTests
{
    private static readonly Vector128<byte> Counting =
        U8(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF);

    [Fact]
    public void SwizzleZeroesOutOfRangeIndices()
    {
        var indices = U8(15, 0, 16, 255, 128, 1, 17, 31, 32, 7, 8, 0x8F, 0x10, 0x0F, 0x70, 2);
        Assert.Equal([0xFF, 0x00, 0, 0, 0, 0x11, 0, 0, 0, 0x77, 0x88, 0, 0, 0xFF, 0, 0x22], AsU8(SimdOps.I8x16Swizzle(Counting, indices)));
    }

    [Fact]
    public void ShuffleSelectsFromBothOperands()
    {
        var b = U8(100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115);
        var lanes = U8(0, 16, 15, 31, 1, 17, 8, 24, 3, 3, 30, 30, 9, 20, 0, 16);
        Assert.Equal([0x00, 100, 0xFF, 115, 0x11, 101, 0x88, 108, 0x33, 0x33, 114, 114, 0x99, 104, 0x00, 100],
            AsU8(SimdOps.I8x16Shuffle(Counting, b, lanes)));
    }

    [Fact]
    public void ExtractLaneSignOrZeroExtends()
    {
        Assert.Equal(-1, SimdOps.I8x16ExtractLaneS(Counting, 15));
        Assert.Equal(255, SimdOps.I8x16ExtractLaneU(Counting, 15));
        Assert.Equal(0x11, SimdOps.I8x16ExtractLaneS(Counting, 1));
        Assert.Equal(unchecked((short)0xFFEE), SimdOps.I16x8ExtractLaneS(Counting, 7));
        Assert.Equal(0xFFEE, SimdOps.I16x8ExtractLaneU(Counting, 7));
        Assert.Equal(0x3322_1100, SimdOps.I32x4ExtractLane(Counting, 0));
        Assert.Equal(unchecked((long)0xFFEE_DDCC_BBAA_9988), SimdOps.I64x2ExtractLane(Counting, 1));
    }

    [Fact]
    public void FloatLanesMoveNaNPayloadsUnchanged()
    {
        const uint signalling = 0x7F80_0001;
        var vector = F32Bits(0, signalling, 0, 0);
        Assert.Equal(signalling, BitConverter.SingleToUInt32Bits(SimdOps.F32x4ExtractLane(vector, 1)));

        var replaced = SimdOps.F32x4ReplaceLane(vector, SingleFromBits(0xFFA0_0005), 3);
        Assert.Equal([0u, signalling, 0u, 0xFFA0_0005u], AsF32Bits(replaced));

        Assert.Equal([0x7FF0_0000_0000_0002ul, 0x7FF0_0000_0000_0002ul],
            AsF64Bits(SimdOps.F64x2Splat(DoubleFromBits(0x7FF0_0000_0000_0002))));
        Assert.Equal(0xFFF0_0000_0000_0003ul,
            BitConverter.DoubleToUInt64Bits(SimdOps.F64x2ExtractLane(F64Bits(0, 0xFFF0_0000_0000_0003), 1)));
    }

    // Out of line so RyuJIT cannot fold the conversion into a float constant: it keeps those as doubles, and
    // widening a signalling NaN quiets it before the helper under test sees it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float SingleFromBits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double DoubleFromBits(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [Fact]
    public void ReplaceLaneAndSplatTruncateToTheLaneWidth()
    {
        Assert.Equal(Enumerable.Repeat((byte)0x34, 16), AsU8(SimdOps.I8x16Splat(0x1234)));
        Assert.Equal(Enumerable.Repeat(unchecked((short)0xBEEF), 8), AsI16(SimdOps.I16x8Splat(unchecked((int)0xDEADBEEF))));
        var replaced = AsU8(SimdOps.I8x16ReplaceLane(Counting, 0x1FF, 3));
        Assert.Equal(0xFF, replaced[3]);
        Assert.Equal(0x22, replaced[2]);
        Assert.Equal(0x44, replaced[4]);
        Assert.Equal([0L, -1L], AsI64(SimdOps.I64x2ReplaceLane(I64(0, 0), -1, 1)));
    }

    [Fact]
    public void BitselectTakesFirstOperandWhereMaskIsSet()
    {
        var v1 = U8(0xFF, 0xFF, 0x00, 0xAA);
        var v2 = U8(0x00, 0x0F, 0xFF, 0x55);
        var mask = U8(0xF0, 0xFF, 0x0F, 0xFF);
        Assert.Equal([0xF0, 0xFF, 0xF0, 0xAA], AsU8(SimdOps.V128Bitselect(v1, v2, mask))[..4]);
        Assert.Equal([0xFF, 0xF0, 0x00, 0xAA], AsU8(SimdOps.V128Andnot(v1, v2))[..4]);
    }

    [Fact]
    public void BooleanReductions()
    {
        Assert.Equal(0, SimdOps.V128AnyTrue(Vector128<byte>.Zero));
        Assert.Equal(1, SimdOps.V128AnyTrue(U8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)));

        Assert.Equal(1, SimdOps.I8x16AllTrue(Counting | Vector128.Create((byte)1)));
        Assert.Equal(0, SimdOps.I8x16AllTrue(Counting));
        // Every 16-bit lane of Counting is non-zero even though byte 0 is zero.
        Assert.Equal(1, SimdOps.I16x8AllTrue(Counting));
        Assert.Equal(0, SimdOps.I32x4AllTrue(I32(1, 1, 0, 1)));
        Assert.Equal(1, SimdOps.I64x2AllTrue(I64(1L << 63, 1L << 32)));
        Assert.Equal(0, SimdOps.I64x2AllTrue(I64(1, 0)));
    }

    [Fact]
    public void BitmaskCollectsLaneSignBits()
    {
        Assert.Equal(0xFF00, SimdOps.I8x16Bitmask(Counting));
        Assert.Equal(0b1111_0000, SimdOps.I16x8Bitmask(Counting));
        Assert.Equal(0b1010, SimdOps.I32x4Bitmask(I32(0, -1, int.MaxValue, int.MinValue)));
        Assert.Equal(0b01, SimdOps.I64x2Bitmask(I64(-1, long.MaxValue)));
    }

    [Fact]
    public void LoadExtendReadsLittleEndianLanes()
    {
        const ulong raw = 0x8877_6655_4433_2211;
        Assert.Equal([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, unchecked((short)0xFF88)], AsI16(SimdOps.V128Load8x8S(raw)));
        Assert.Equal([(ushort)0x11, (ushort)0x22, (ushort)0x33, (ushort)0x44, (ushort)0x55, (ushort)0x66, (ushort)0x77, (ushort)0x88],
            AsU16(SimdOps.V128Load8x8U(raw)));
        Assert.Equal([0x2211, 0x4433, 0x6655, unchecked((int)0xFFFF_8877)], AsI32(SimdOps.V128Load16x4S(raw)));
        Assert.Equal([0x2211u, 0x4433u, 0x6655u, 0x8877u], AsU32(SimdOps.V128Load16x4U(raw)));
        Assert.Equal([0x4433_2211L, unchecked((long)0xFFFF_FFFF_8877_6655)], AsI64(SimdOps.V128Load32x2S(raw)));
        Assert.Equal([0x4433_2211L, 0x8877_6655L], AsI64(SimdOps.V128Load32x2U(raw)));
    }

    [Fact]
    public void SplatZeroAndLaneFormsPlaceTheRawBits()
    {
        Assert.Equal(Enumerable.Repeat((ushort)0xABCD, 8), AsU16(SimdOps.V128Load16Splat(0xABCD)));
        Assert.Equal(Enumerable.Repeat(0x1234_5678_9ABC_DEF0L, 2), AsI64(SimdOps.V128Load64Splat(0x1234_5678_9ABC_DEF0)));
        Assert.Equal([0xDEAD_BEEFu, 0u, 0u, 0u], AsU32(SimdOps.V128Load32Zero(0xDEAD_BEEF)));
        Assert.Equal([-1L, 0L], AsI64(SimdOps.V128Load64Zero(ulong.MaxValue)));

        var loaded = SimdOps.V128Load16Lane(Counting, 0xBEEF, 2);
        Assert.Equal([(ushort)0x1100, (ushort)0x3322, (ushort)0xBEEF, (ushort)0x7766], AsU16(loaded)[..4]);
        Assert.Equal(0xBEEF, SimdOps.V128Store16Lane(loaded, 2));
        Assert.Equal(0xFF, SimdOps.V128Store8Lane(Counting, 15));
        Assert.Equal(0x7766_5544u, SimdOps.V128Store32Lane(Counting, 1));
        Assert.Equal(0xFFEE_DDCC_BBAA_9988ul, SimdOps.V128Store64Lane(Counting, 1));
        Assert.Equal(0x0102_0304_0506_0708ul, SimdOps.V128Store64Lane(SimdOps.V128Load64Lane(Counting, 0x0102_0304_0506_0708, 0), 0));
    }
}
