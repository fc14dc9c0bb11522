using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WasmKube.Runtime.Compilation.Simd;

/// <summary>Integer lane arithmetic (spec §4.3.2, §4.4.3). All results wrap modulo the lane width unless saturating.</summary>
internal static partial class SimdOps
{
    // Shifts take the count modulo the lane width (spec "ishl": k = i2 mod N); masking here keeps that independent
    // of how Vector128 treats oversized counts.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Shl(Vector128<byte> a, int amount) => Vector128.ShiftLeft(a, amount & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16ShrS(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightArithmetic(a.AsSByte(), amount & 7).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16ShrU(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightLogical(a, amount & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Shl(Vector128<byte> a, int amount) =>
        Vector128.ShiftLeft(a.AsUInt16(), amount & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ShrS(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightArithmetic(a.AsInt16(), amount & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ShrU(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightLogical(a.AsUInt16(), amount & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Shl(Vector128<byte> a, int amount) =>
        Vector128.ShiftLeft(a.AsUInt32(), amount & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ShrS(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightArithmetic(a.AsInt32(), amount & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ShrU(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightLogical(a.AsUInt32(), amount & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Shl(Vector128<byte> a, int amount) =>
        Vector128.ShiftLeft(a.AsUInt64(), amount & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ShrS(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightArithmetic(a.AsInt64(), amount & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ShrU(Vector128<byte> a, int amount) =>
        Vector128.ShiftRightLogical(a.AsUInt64(), amount & 63).AsByte();

    // Wrapping add, sub, mul, neg.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Add(Vector128<byte> a, Vector128<byte> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Add(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() + b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Add(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() + b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Add(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() + b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Sub(Vector128<byte> a, Vector128<byte> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() - b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() - b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() - b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() * b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() * b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() * b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Neg(Vector128<byte> a) => Vector128<byte>.Zero - a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Neg(Vector128<byte> a) => (Vector128<ushort>.Zero - a.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Neg(Vector128<byte> a) => (Vector128<uint>.Zero - a.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Neg(Vector128<byte> a) => (Vector128<ulong>.Zero - a.AsUInt64()).AsByte();

    // abs wraps: the minimum value stays itself (spec "iabs"). (x ^ s) - s with s = x >> (N-1) computes that
    // without relying on how Vector128.Abs treats the minimum value.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Abs(Vector128<byte> a)
    {
        var sign = Vector128.ShiftRightArithmetic(a.AsSByte(), 7);
        return ((a.AsSByte() ^ sign) - sign).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Abs(Vector128<byte> a)
    {
        var sign = Vector128.ShiftRightArithmetic(a.AsInt16(), 15);
        return ((a.AsInt16() ^ sign) - sign).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Abs(Vector128<byte> a)
    {
        var sign = Vector128.ShiftRightArithmetic(a.AsInt32(), 31);
        return ((a.AsInt32() ^ sign) - sign).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Abs(Vector128<byte> a)
    {
        var sign = Vector128.ShiftRightArithmetic(a.AsInt64(), 63);
        return ((a.AsInt64() ^ sign) - sign).AsByte();
    }

    // Saturating add/sub (spec "iadd_sat_s/u", "isub_sat_s/u"): Vector128's saturating forms clamp to the lane type.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16AddSatS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16AddSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16SubSatS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16SubSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8AddSatS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8AddSatU(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8SubSatS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8SubSatU(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    // Min/max: signedness comes from the lane type of the view.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MinS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MaxS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MinS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MinU(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MaxS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MaxU(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MinS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MinU(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MaxS(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MaxU(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte();

    // avgr_u rounds half up: (a + b + 1) >> 1 computed without overflow (spec "iavgr_u").

    public static Vector128<byte> I8x16AvgrU(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.Average(a, b);
        }
        return (a | b) - Vector128.ShiftRightLogical(a ^ b, 1);
    }

    public static Vector128<byte> I16x8AvgrU(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsUInt16();
        var y = b.AsUInt16();
        if (Sse2.IsSupported)
        {
            return Sse2.Average(x, y).AsByte();
        }
        return ((x | y) - Vector128.ShiftRightLogical(x ^ y, 1)).AsByte();
    }

    /// <summary>Number of set bits of each byte lane.</summary>
    public static Vector128<byte> I8x16Popcnt(Vector128<byte> a)
    {
        if (Ssse3.IsSupported)
        {
            var counts = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var low = a & Vector128.Create((byte)0x0F);
            var high = Vector128.ShiftRightLogical(a, 4);
            return Ssse3.Shuffle(counts, low) + Ssse3.Shuffle(counts, high);
        }
        Span<byte> result = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            result[i] = (byte)BitOperations.PopCount(a.GetElement(i));
        }
        return Vector128.Create((ReadOnlySpan<byte>)result);
    }

    // Narrowing (spec "narrow_s/u"): lanes of a, then lanes of b, each a signed value saturated to the narrow type;
    // the unsigned forms clamp negative inputs to 0 first so the unsigned saturation sees only non-negative values.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16NarrowI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16NarrowI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(
            Vector128.Max(a.AsInt16(), Vector128<short>.Zero).AsUInt16(),
            Vector128.Max(b.AsInt16(), Vector128<short>.Zero).AsUInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8NarrowI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8NarrowI32x4U(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(
            Vector128.Max(a.AsInt32(), Vector128<int>.Zero).AsUInt32(),
            Vector128.Max(b.AsInt32(), Vector128<int>.Zero).AsUInt32()).AsByte();

    // Extension of the low or high half to lanes of twice the width (sign- or zero-extending by the view's type).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendLowI8x16S(Vector128<byte> a) => Vector128.WidenLower(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendHighI8x16S(Vector128<byte> a) => Vector128.WidenUpper(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendLowI8x16U(Vector128<byte> a) => Vector128.WidenLower(a).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendHighI8x16U(Vector128<byte> a) => Vector128.WidenUpper(a).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendLowI16x8S(Vector128<byte> a) => Vector128.WidenLower(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendHighI16x8S(Vector128<byte> a) => Vector128.WidenUpper(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendLowI16x8U(Vector128<byte> a) => Vector128.WidenLower(a.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendHighI16x8U(Vector128<byte> a) => Vector128.WidenUpper(a.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendLowI32x4S(Vector128<byte> a) => Vector128.WidenLower(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendHighI32x4S(Vector128<byte> a) => Vector128.WidenUpper(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendLowI32x4U(Vector128<byte> a) => Vector128.WidenLower(a.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendHighI32x4U(Vector128<byte> a) => Vector128.WidenUpper(a.AsUInt32()).AsByte();

    // Extended multiplication: the product of two extended lanes always fits the wide lane (even -2^(N-1) squared).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulLowI8x16S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsSByte()) * Vector128.WidenLower(b.AsSByte())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulHighI8x16S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsSByte()) * Vector128.WidenUpper(b.AsSByte())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulLowI8x16U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a) * Vector128.WidenLower(b)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulHighI8x16U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a) * Vector128.WidenUpper(b)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulLowI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulHighI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulLowI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsUInt16()) * Vector128.WidenLower(b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulHighI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsUInt16()) * Vector128.WidenUpper(b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulLowI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsInt32()) * Vector128.WidenLower(b.AsInt32())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulHighI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsInt32()) * Vector128.WidenUpper(b.AsInt32())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulLowI32x4U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsUInt32()) * Vector128.WidenLower(b.AsUInt32())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulHighI32x4U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsUInt32()) * Vector128.WidenUpper(b.AsUInt32())).AsByte();

    // Pairwise extended addition: lane i is lane 2i plus lane 2i+1, both extended. Viewing a pair as one wide lane,
    // the even (low) half comes out by shifting it up and back down, the odd (high) half by shifting down.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtaddPairwiseI8x16S(Vector128<byte> a)
    {
        var pairs = a.AsInt16();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(pairs, 8), 8);
        var odd = Vector128.ShiftRightArithmetic(pairs, 8);
        return (even + odd).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtaddPairwiseI8x16U(Vector128<byte> a)
    {
        var pairs = a.AsUInt16();
        return ((pairs & Vector128.Create((ushort)0xFF)) + Vector128.ShiftRightLogical(pairs, 8)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtaddPairwiseI16x8S(Vector128<byte> a)
    {
        var pairs = a.AsInt32();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(pairs, 16), 16);
        var odd = Vector128.ShiftRightArithmetic(pairs, 16);
        return (even + odd).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtaddPairwiseI16x8U(Vector128<byte> a)
    {
        var pairs = a.AsUInt32();
        return ((pairs & Vector128.Create(0xFFFFu)) + Vector128.ShiftRightLogical(pairs, 16)).AsByte();
    }

    /// <summary>Lane i is a[2i]*b[2i] + a[2i+1]*b[2i+1] of signed 16-bit lanes, wrapping to 32 bits.</summary>
    public static Vector128<byte> I32x4DotI16x8S(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported)
        {
            // pmaddwd: the same pairwise sum, wrapping in the one overflowing case (-32768 * -32768 twice).
            return Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsByte();
        }
        var x = a.AsInt32();
        var y = b.AsInt32();
        var evenX = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 16), 16);
        var evenY = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(y, 16), 16);
        var oddX = Vector128.ShiftRightArithmetic(x, 16);
        var oddY = Vector128.ShiftRightArithmetic(y, 16);
        return (evenX * evenY + oddX * oddY).AsByte();
    }

    /// <summary>
    /// Q15 rounding multiplication (spec "iq15mulrsat_s"): sat_s((a * b + 2^14) >> 15); only
    /// -32768 * -32768 saturates, to 32767.
    /// </summary>
    public static Vector128<byte> I16x8Q15mulrSatS(Vector128<byte> a, Vector128<byte> b)
    {
        if (Ssse3.IsSupported)
        {
            // pmulhrsw computes the same rounding product but wraps the single overflow to -32768, a value no
            // other input pair yields; flipping all bits of those lanes turns it into 32767.
            var product = Ssse3.MultiplyHighRoundScale(a.AsInt16(), b.AsInt16());
            return (product ^ Vector128.Equals(product, Vector128.Create(short.MinValue))).AsByte();
        }
        var low = (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16()) + Vector128.Create(0x4000)) >> 15;
        var high = (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16()) + Vector128.Create(0x4000)) >> 15;
        return Vector128.NarrowWithSaturation(low, high).AsByte();
    }
}
