using System.Numerics;
using System.Runtime.CompilerServices;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Numeric instructions whose wasm semantics differ from a single IL opcode (spec §4.3.2, §4.3.3): trapping
/// division and truncation, NaN-preserving sign operations, min/max, round-half-even, unsigned conversions.
/// Small and aggressively inlined into compiled code.
/// </summary>
internal static class Ops
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // Compiled code checks both division traps before calling, so they carry the instruction's offset; the checks
    // here keep the helpers total on their own, and RyuJIT drops them as redundant once inlined.
    [MethodImpl(Inline)]
    public static int I32DivS(int a, int b)
    {
        if (b == 0) ThrowDivideByZero();
        if (b == -1 && a == int.MinValue) ThrowOverflow();
        return a / b;
    }

    [MethodImpl(Inline)]
    public static int I32DivU(int a, int b)
    {
        if (b == 0) ThrowDivideByZero();
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(Inline)]
    public static int I32RemS(int a, int b)
    {
        if (b == 0) ThrowDivideByZero();
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(Inline)]
    public static int I32RemU(int a, int b)
    {
        if (b == 0) ThrowDivideByZero();
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(Inline)]
    public static long I64DivS(long a, long b)
    {
        if (b == 0) ThrowDivideByZero();
        if (b == -1 && a == long.MinValue) ThrowOverflow();
        return a / b;
    }

    [MethodImpl(Inline)]
    public static long I64DivU(long a, long b)
    {
        if (b == 0) ThrowDivideByZero();
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(Inline)]
    public static long I64RemS(long a, long b)
    {
        if (b == 0) ThrowDivideByZero();
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(Inline)]
    public static long I64RemU(long a, long b)
    {
        if (b == 0) ThrowDivideByZero();
        return (long)((ulong)a % (ulong)b);
    }

    [MethodImpl(Inline)] public static int I32Clz(int a) => BitOperations.LeadingZeroCount((uint)a);
    [MethodImpl(Inline)] public static int I32Ctz(int a) => BitOperations.TrailingZeroCount(a);
    [MethodImpl(Inline)] public static int I32Popcnt(int a) => BitOperations.PopCount((uint)a);
    [MethodImpl(Inline)] public static int I32Rotl(int a, int b) => (int)BitOperations.RotateLeft((uint)a, b);
    [MethodImpl(Inline)] public static int I32Rotr(int a, int b) => (int)BitOperations.RotateRight((uint)a, b);
    [MethodImpl(Inline)] public static long I64Clz(long a) => BitOperations.LeadingZeroCount((ulong)a);
    [MethodImpl(Inline)] public static long I64Ctz(long a) => BitOperations.TrailingZeroCount(a);
    [MethodImpl(Inline)] public static long I64Popcnt(long a) => BitOperations.PopCount((ulong)a);
    [MethodImpl(Inline)] public static long I64Rotl(long a, long b) => (long)BitOperations.RotateLeft((ulong)a, (int)b);
    [MethodImpl(Inline)] public static long I64Rotr(long a, long b) => (long)BitOperations.RotateRight((ulong)a, (int)b);

    // Sign operations work on the bits so NaN payloads survive (spec §4.3.3 fabs, fneg, fcopysign).
    [MethodImpl(Inline)] public static float F32Abs(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & 0x7FFF_FFFF);
    [MethodImpl(Inline)] public static float F32Neg(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) ^ int.MinValue);

    [MethodImpl(Inline)]
    public static float F32Copysign(float a, float b) => BitConverter.Int32BitsToSingle(
        (BitConverter.SingleToInt32Bits(a) & 0x7FFF_FFFF) | (BitConverter.SingleToInt32Bits(b) & int.MinValue));

    [MethodImpl(Inline)] public static double F64Abs(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & long.MaxValue);
    [MethodImpl(Inline)] public static double F64Neg(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) ^ long.MinValue);

    [MethodImpl(Inline)]
    public static double F64Copysign(double a, double b) => BitConverter.Int64BitsToDouble(
        (BitConverter.DoubleToInt64Bits(a) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(b) & long.MinValue));

    // NaN operands yield a quiet NaN (adding quiets a signaling one); otherwise IEEE 754-2019 minimum/maximum,
    // which order -0 below +0 like wasm.
    [MethodImpl(Inline)] public static float F32Min(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? a + b : MathF.Min(a, b);
    [MethodImpl(Inline)] public static float F32Max(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? a + b : MathF.Max(a, b);
    [MethodImpl(Inline)] public static double F64Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? a + b : Math.Min(a, b);
    [MethodImpl(Inline)] public static double F64Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? a + b : Math.Max(a, b);

    [MethodImpl(Inline)] public static float F32Ceil(float a) => MathF.Ceiling(a);
    [MethodImpl(Inline)] public static float F32Floor(float a) => MathF.Floor(a);
    [MethodImpl(Inline)] public static float F32Trunc(float a) => MathF.Truncate(a);
    [MethodImpl(Inline)] public static float F32Nearest(float a) => MathF.Round(a, MidpointRounding.ToEven);
    [MethodImpl(Inline)] public static float F32Sqrt(float a) => MathF.Sqrt(a);
    [MethodImpl(Inline)] public static double F64Ceil(double a) => Math.Ceiling(a);
    [MethodImpl(Inline)] public static double F64Floor(double a) => Math.Floor(a);
    [MethodImpl(Inline)] public static double F64Trunc(double a) => Math.Truncate(a);
    [MethodImpl(Inline)] public static double F64Nearest(double a) => Math.Round(a, MidpointRounding.ToEven);
    [MethodImpl(Inline)] public static double F64Sqrt(double a) => Math.Sqrt(a);

    // Trapping truncation (spec §4.3.3 trunc): NaN and out-of-range inputs trap; bounds are the exact
    // float limits of the integer range, exclusive.
    [MethodImpl(Inline)]
    public static int I32TruncF32S(float a)
    {
        if (!(a >= -2147483648f && a < 2147483648f)) ThrowConversion(a);
        return (int)a;
    }

    [MethodImpl(Inline)]
    public static int I32TruncF32U(float a)
    {
        if (!(a > -1f && a < 4294967296f)) ThrowConversion(a);
        return (int)(uint)a;
    }

    [MethodImpl(Inline)]
    public static int I32TruncF64S(double a)
    {
        if (!(a > -2147483649d && a < 2147483648d)) ThrowConversion(a);
        return (int)a;
    }

    [MethodImpl(Inline)]
    public static int I32TruncF64U(double a)
    {
        if (!(a > -1d && a < 4294967296d)) ThrowConversion(a);
        return (int)(uint)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF32S(float a)
    {
        if (!(a >= -9223372036854775808f && a < 9223372036854775808f)) ThrowConversion(a);
        return (long)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF32U(float a)
    {
        if (!(a > -1f && a < 18446744073709551616f)) ThrowConversion(a);
        return (long)(ulong)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF64S(double a)
    {
        if (!(a >= -9223372036854775808d && a < 9223372036854775808d)) ThrowConversion(a);
        return (long)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF64U(double a)
    {
        if (!(a > -1d && a < 18446744073709551616d)) ThrowConversion(a);
        return (long)(ulong)a;
    }

    // Saturating truncation (spec §4.3.3 trunc_sat): NaN is 0, out-of-range clamps. .NET 9+ casts saturate the same way.
    [MethodImpl(Inline)] public static int I32TruncSatF32S(float a) => float.IsNaN(a) ? 0 : a >= 2147483648f ? int.MaxValue : a < -2147483648f ? int.MinValue : (int)a;
    [MethodImpl(Inline)] public static int I32TruncSatF32U(float a) => float.IsNaN(a) || a <= -1f ? 0 : a >= 4294967296f ? -1 : (int)(uint)a;
    [MethodImpl(Inline)] public static int I32TruncSatF64S(double a) => double.IsNaN(a) ? 0 : a >= 2147483648d ? int.MaxValue : a <= -2147483649d ? int.MinValue : (int)a;
    [MethodImpl(Inline)] public static int I32TruncSatF64U(double a) => double.IsNaN(a) || a <= -1d ? 0 : a >= 4294967296d ? -1 : (int)(uint)a;
    [MethodImpl(Inline)] public static long I64TruncSatF32S(float a) => float.IsNaN(a) ? 0 : a >= 9223372036854775808f ? long.MaxValue : a < -9223372036854775808f ? long.MinValue : (long)a;
    [MethodImpl(Inline)] public static long I64TruncSatF32U(float a) => float.IsNaN(a) || a <= -1f ? 0 : a >= 18446744073709551616f ? -1 : (long)(ulong)a;
    [MethodImpl(Inline)] public static long I64TruncSatF64S(double a) => double.IsNaN(a) ? 0 : a >= 9223372036854775808d ? long.MaxValue : a < -9223372036854775808d ? long.MinValue : (long)a;
    [MethodImpl(Inline)] public static long I64TruncSatF64U(double a) => double.IsNaN(a) || a <= -1d ? 0 : a >= 18446744073709551616d ? -1 : (long)(ulong)a;

    // Unsigned conversions with one rounding: halve with a sticky bit so the signed 64-bit conversion rounds correctly.
    [MethodImpl(Inline)] public static float F32ConvertI32U(int a) => (float)(long)(uint)a;
    [MethodImpl(Inline)] public static float F32ConvertI64S(long a) => (float)a;

    [MethodImpl(Inline)]
    public static float F32ConvertI64U(long a)
    {
        if (a >= 0) return (float)a;
        var halved = (long)(((ulong)a >> 1) | ((ulong)a & 1));
        return (float)halved * 2f;
    }

    [MethodImpl(Inline)] public static double F64ConvertI32U(int a) => (double)(uint)a;

    [MethodImpl(Inline)]
    public static double F64ConvertI64U(long a)
    {
        if (a >= 0) return (double)a;
        var halved = (long)(((ulong)a >> 1) | ((ulong)a & 1));
        return (double)halved * 2d;
    }

    // The JIT folds demote(promote(x)) to x, which would keep a signaling NaN; wasm's promote yields a quiet one.
    [MethodImpl(Inline)]
    public static double F64PromoteF32(float a) =>
        float.IsNaN(a) ? BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | 0x0008_0000_0000_0000) : a;

    [MethodImpl(Inline)] public static int I32ReinterpretF32(float a) => BitConverter.SingleToInt32Bits(a);
    [MethodImpl(Inline)] public static long I64ReinterpretF64(double a) => BitConverter.DoubleToInt64Bits(a);
    [MethodImpl(Inline)] public static float F32ReinterpretI32(int a) => BitConverter.Int32BitsToSingle(a);
    [MethodImpl(Inline)] public static double F64ReinterpretI64(long a) => BitConverter.Int64BitsToDouble(a);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDivideByZero() => throw new TrapException(TrapKind.IntegerDivideByZero);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverflow() => throw new TrapException(TrapKind.IntegerOverflow);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowConversion(double value) =>
        throw new TrapException(double.IsNaN(value) ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow);
}
