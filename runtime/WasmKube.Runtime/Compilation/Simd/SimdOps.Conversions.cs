using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WasmKube.Runtime.Compilation.Simd;

/// <summary>
/// Conversions between integer and float lanes (spec §4.3.4 "trunc_sat", "convert", "demote", "promote").
/// The saturating truncations are wasm's own rule (NaN -> 0, out of range -> the nearest bound): x86 returns
/// 0x80000000 for every invalid lane and Vector128's conversions do not document their out-of-range results, so
/// the fast paths repair the x86 result explicitly and the fallbacks convert lane by lane.
/// </summary>
internal static partial class SimdOps
{
    private const double TwoPow52 = 4503599627370496.0;

    public static Vector128<byte> I32x4TruncSatF32x4S(Vector128<byte> a)
    {
        var x = a.AsSingle();
        if (Sse2.IsSupported)
        {
            // cvttps2dq gives 0x80000000 for NaN and both overflows: that is right for negative overflow, becomes
            // 0x7FFFFFFF by flipping all bits where x >= 2^31, and is cleared for NaN lanes.
            var truncated = Sse2.ConvertToVector128Int32WithTruncation(x);
            var positiveOverflow = Vector128.GreaterThanOrEqual(x, Vector128.Create(2147483648f)).AsInt32();
            var notNaN = Vector128.Equals(x, x).AsInt32();
            return ((truncated ^ positiveOverflow) & notNaN).AsByte();
        }
        return Vector128.Create(
            TruncSatS(x.GetElement(0)), TruncSatS(x.GetElement(1)),
            TruncSatS(x.GetElement(2)), TruncSatS(x.GetElement(3))).AsByte();
    }

    public static Vector128<byte> I32x4TruncSatF32x4U(Vector128<byte> a)
    {
        var x = a.AsSingle();
        if (Sse2.IsSupported)
        {
            // NaN and negative lanes become 0. Lanes below 2^31 convert directly; lanes from 2^31 on are whole
            // numbers, so subtracting 2^31 is exact and the signed conversion of the rest plus 2^31 is the result;
            // lanes from 2^32 on saturate to all ones.
            var clean = Vector128.Max(Vector128.ConditionalSelect(Vector128.Equals(x, x), x, Vector128<float>.Zero), Vector128<float>.Zero);
            var twoPow31 = Vector128.Create(2147483648f);
            var low = Sse2.ConvertToVector128Int32WithTruncation(clean);
            var high = Sse2.ConvertToVector128Int32WithTruncation(clean - twoPow31) ^ Vector128.Create(int.MinValue);
            var result = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(clean, twoPow31).AsInt32(), high, low);
            return (result | Vector128.GreaterThanOrEqual(clean, Vector128.Create(4294967296f)).AsInt32()).AsByte();
        }
        return Vector128.Create(
            TruncSatU(x.GetElement(0)), TruncSatU(x.GetElement(1)),
            TruncSatU(x.GetElement(2)), TruncSatU(x.GetElement(3))).AsByte();
    }

    /// <summary>The two f64 lanes saturated to i32 in lanes 0 and 1; lanes 2 and 3 are zero.</summary>
    public static Vector128<byte> I32x4TruncSatF64x2SZero(Vector128<byte> a)
    {
        var x = a.AsDouble();
        if (Sse2.IsSupported)
        {
            // Every i32 is exact in f64, so clamping NaN-free lanes to the i32 range first leaves cvttpd2dq (which
            // also zeroes lanes 2 and 3) only in-range values.
            var clean = Vector128.ConditionalSelect(Vector128.Equals(x, x), x, Vector128<double>.Zero);
            var clamped = Vector128.Min(Vector128.Max(clean, Vector128.Create((double)int.MinValue)), Vector128.Create((double)int.MaxValue));
            return Sse2.ConvertToVector128Int32WithTruncation(clamped).AsByte();
        }
        return Vector128.Create(TruncSatS(x.GetElement(0)), TruncSatS(x.GetElement(1)), 0, 0).AsByte();
    }

    public static Vector128<byte> I32x4TruncSatF64x2UZero(Vector128<byte> a)
    {
        var x = a.AsDouble();
        return Vector128.Create(TruncSatU(x.GetElement(0)), TruncSatU(x.GetElement(1)), 0u, 0u).AsByte();
    }

    /// <summary>Each signed i32 lane rounded to the nearest f32 (ties to even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4ConvertI32x4S(Vector128<byte> a) => Vector128.ConvertToSingle(a.AsInt32()).AsByte();

    /// <summary>Each unsigned i32 lane rounded to the nearest f32 (ties to even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4ConvertI32x4U(Vector128<byte> a)
    {
        // high * 2^16 and low are both exact in f32 (at most 16 significant bits each), so their sum is rounded
        // exactly once, as a direct conversion would be.
        var x = a.AsUInt32();
        var high = Vector128.ConvertToSingle(Vector128.ShiftRightLogical(x, 16).AsInt32()) * Vector128.Create(65536f);
        var low = Vector128.ConvertToSingle((x & Vector128.Create(0xFFFFu)).AsInt32());
        return (high + low).AsByte();
    }

    public static Vector128<byte> F64x2ConvertLowI32x4S(Vector128<byte> a)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.ConvertToVector128Double(a.AsInt32()).AsByte();
        }
        var x = a.AsInt32();
        return Vector128.Create((double)x.GetElement(0), x.GetElement(1)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2ConvertLowI32x4U(Vector128<byte> a)
    {
        // Placing a u32 in the low mantissa bits of 2^52 gives exactly 2^52 + u; subtracting 2^52 leaves u.
        var widened = Vector128.WidenLower(a.AsUInt32()) | Vector128.Create(BitConverter.DoubleToUInt64Bits(TwoPow52));
        return (widened.AsDouble() - Vector128.Create(TwoPow52)).AsByte();
    }

    /// <summary>Both f64 lanes rounded to f32 in lanes 0 and 1; lanes 2 and 3 are +0.</summary>
    public static Vector128<byte> F32x4DemoteF64x2Zero(Vector128<byte> a)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.ConvertToVector128Single(a.AsDouble()).AsByte();
        }
        var x = a.AsDouble();
        return Vector128.Create((float)x.GetElement(0), (float)x.GetElement(1), 0f, 0f).AsByte();
    }

    /// <summary>f32 lanes 0 and 1 widened exactly to f64.</summary>
    public static Vector128<byte> F64x2PromoteLowF32x4(Vector128<byte> a)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.ConvertToVector128Double(a.AsSingle()).AsByte();
        }
        var x = a.AsSingle();
        return Vector128.Create((double)x.GetElement(0), x.GetElement(1)).AsByte();
    }

    private static int TruncSatS(double value) =>
        double.IsNaN(value) ? 0
        : value <= int.MinValue ? int.MinValue
        : value >= int.MaxValue ? int.MaxValue
        : (int)value;

    private static uint TruncSatU(double value) =>
        double.IsNaN(value) || value <= 0 ? 0u
        : value >= uint.MaxValue ? uint.MaxValue
        : (uint)value;
}
