using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WasmKube.Runtime.Compilation.Simd;

/// <summary>Lane access, splat, shuffle and swizzle (spec §4.4.3).</summary>
internal static partial class SimdOps
{
    // Float lanes move as raw bits so NaN payloads survive unchanged (spec: these are pure bit moves).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Splat(int value) => Vector128.Create((byte)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Splat(int value) => Vector128.Create((ushort)value).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Splat(int value) => Vector128.Create(value).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Splat(long value) => Vector128.Create(value).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Splat(float value) =>
        Vector128.Create(BitConverter.SingleToInt32Bits(value)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Splat(double value) =>
        Vector128.Create(BitConverter.DoubleToInt64Bits(value)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16ExtractLaneS(Vector128<byte> a, byte lane) => a.AsSByte().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16ExtractLaneU(Vector128<byte> a, byte lane) => a.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8ExtractLaneS(Vector128<byte> a, byte lane) => a.AsInt16().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8ExtractLaneU(Vector128<byte> a, byte lane) => a.AsUInt16().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4ExtractLane(Vector128<byte> a, byte lane) => a.AsInt32().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64x2ExtractLane(Vector128<byte> a, byte lane) => a.AsInt64().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32x4ExtractLane(Vector128<byte> a, byte lane) =>
        BitConverter.Int32BitsToSingle(a.AsInt32().GetElement(lane));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64x2ExtractLane(Vector128<byte> a, byte lane) =>
        BitConverter.Int64BitsToDouble(a.AsInt64().GetElement(lane));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16ReplaceLane(Vector128<byte> a, int value, byte lane) =>
        a.WithElement(lane, (byte)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ReplaceLane(Vector128<byte> a, int value, byte lane) =>
        a.AsUInt16().WithElement(lane, (ushort)value).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ReplaceLane(Vector128<byte> a, int value, byte lane) =>
        a.AsInt32().WithElement(lane, value).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ReplaceLane(Vector128<byte> a, long value, byte lane) =>
        a.AsInt64().WithElement(lane, value).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4ReplaceLane(Vector128<byte> a, float value, byte lane) =>
        a.AsInt32().WithElement(lane, BitConverter.SingleToInt32Bits(value)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2ReplaceLane(Vector128<byte> a, double value, byte lane) =>
        a.AsInt64().WithElement(lane, BitConverter.DoubleToInt64Bits(value)).AsByte();

    /// <summary>
    /// Lane i of the result is lane <c>indices[i]</c> of <paramref name="a"/>, or 0 when that index is 16 or more.
    /// </summary>
    public static Vector128<byte> I8x16Swizzle(Vector128<byte> a, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            // pshufb zeroes a lane when bit 7 of its index is set and otherwise uses only the low 4 bits;
            // adding 0x70 with unsigned saturation sets bit 7 exactly for the indices 16..255.
            return Ssse3.Shuffle(a, Sse2.AddSaturate(indices, Vector128.Create((byte)0x70)));
        }
        Span<byte> result = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            var index = indices.GetElement(i);
            result[i] = index < 16 ? a.GetElement(index) : (byte)0;
        }
        return Vector128.Create((ReadOnlySpan<byte>)result);
    }

    /// <summary>
    /// Lane i of the result is lane <c>lanes[i]</c> of the 32-lane concatenation a ++ b; the validator guarantees
    /// every lane immediate is below 32.
    /// </summary>
    public static Vector128<byte> I8x16Shuffle(Vector128<byte> a, Vector128<byte> b, Vector128<byte> lanes) =>
        // Indices 16..31 are out of range for a; subtracting 16 wraps 0..15 out of range for b (240..255).
        I8x16Swizzle(a, lanes) | I8x16Swizzle(b, lanes - Vector128.Create((byte)16));
}
