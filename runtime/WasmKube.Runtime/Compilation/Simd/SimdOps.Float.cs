using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Compilation.Simd;

/// <summary>
/// Float lane arithmetic (spec §4.3.3 "fadd", "fmin", "fceil", ...). Arithmetic producing NaN may return any
/// canonical or arithmetic NaN, which the hardware operations do; abs and neg touch only the sign bit and so keep
/// every NaN payload.
/// </summary>
internal static partial class SimdOps
{
    private static readonly Vector128<uint> F32SignBit = Vector128.Create(0x8000_0000u);
    private static readonly Vector128<ulong> F64SignBit = Vector128.Create(0x8000_0000_0000_0000ul);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Abs(Vector128<byte> a) => (a.AsUInt32() & ~F32SignBit).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Neg(Vector128<byte> a) => (a.AsUInt32() ^ F32SignBit).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Abs(Vector128<byte> a) => (a.AsUInt64() & ~F64SignBit).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Neg(Vector128<byte> a) => (a.AsUInt64() ^ F64SignBit).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Sqrt(Vector128<byte> a) => Vector128.Sqrt(a.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Sqrt(Vector128<byte> a) => Vector128.Sqrt(a.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Add(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() + b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() - b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() * b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Div(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() / b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Add(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() + b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() - b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() * b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Div(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() / b.AsDouble()).AsByte();

    // min/max (spec "fmin", "fmax"): NaN if either operand is NaN, and -0 < +0. Selecting the smaller operand in both
    // argument orders and OR-ing the two picks (AND for max) gives the plain minimum for distinct values and merges
    // the sign bits for ±0; NaN lanes are replaced by a + b, which is a NaN quieted from an input (arithmetic).

    public static Vector128<byte> F32x4Min(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSingle();
        var y = b.AsSingle();
        var merged = Vector128.ConditionalSelect(Vector128.LessThan(x, y), x, y)
            | Vector128.ConditionalSelect(Vector128.LessThan(y, x), y, x);
        return Vector128.ConditionalSelect(EitherNaN(x, y), x + y, merged).AsByte();
    }

    public static Vector128<byte> F32x4Max(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSingle();
        var y = b.AsSingle();
        var merged = Vector128.ConditionalSelect(Vector128.GreaterThan(x, y), x, y)
            & Vector128.ConditionalSelect(Vector128.GreaterThan(y, x), y, x);
        return Vector128.ConditionalSelect(EitherNaN(x, y), x + y, merged).AsByte();
    }

    public static Vector128<byte> F64x2Min(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsDouble();
        var y = b.AsDouble();
        var merged = Vector128.ConditionalSelect(Vector128.LessThan(x, y), x, y)
            | Vector128.ConditionalSelect(Vector128.LessThan(y, x), y, x);
        return Vector128.ConditionalSelect(EitherNaN(x, y), x + y, merged).AsByte();
    }

    public static Vector128<byte> F64x2Max(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsDouble();
        var y = b.AsDouble();
        var merged = Vector128.ConditionalSelect(Vector128.GreaterThan(x, y), x, y)
            & Vector128.ConditionalSelect(Vector128.GreaterThan(y, x), y, x);
        return Vector128.ConditionalSelect(EitherNaN(x, y), x + y, merged).AsByte();
    }

    // Pseudo-min/max (spec "fpmin": b < a ? b : a, "fpmax": a < b ? b : a): a plain select, so the chosen operand's
    // bits pass through unchanged, NaN included.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Pmin(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(b.AsSingle(), a.AsSingle()).AsByte(), b, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Pmax(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a.AsSingle(), b.AsSingle()).AsByte(), b, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Pmin(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(b.AsDouble(), a.AsDouble()).AsByte(), b, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Pmax(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a.AsDouble(), b.AsDouble()).AsByte(), b, a);

    // Rounding to integral values (spec "fceil", "ffloor", "ftrunc", "fnearest" with ties to even). Zero signs are
    // kept (ceil(-0.5) = -0). A NaN input must give a NaN; adding the input to itself quiets it whatever path the
    // rounding took, so no signalling NaN leaks through a software fallback.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Ceil(Vector128<byte> a) => QuietNaNs(a.AsSingle(), Vector128.Ceiling(a.AsSingle()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Floor(Vector128<byte> a) => QuietNaNs(a.AsSingle(), Vector128.Floor(a.AsSingle()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Trunc(Vector128<byte> a) =>
        QuietNaNs(a.AsSingle(), Vector128.Truncate(a.AsSingle()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Nearest(Vector128<byte> a) =>
        QuietNaNs(a.AsSingle(), Vector128.Round(a.AsSingle(), MidpointRounding.ToEven));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Ceil(Vector128<byte> a) => QuietNaNs(a.AsDouble(), Vector128.Ceiling(a.AsDouble()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Floor(Vector128<byte> a) => QuietNaNs(a.AsDouble(), Vector128.Floor(a.AsDouble()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Trunc(Vector128<byte> a) =>
        QuietNaNs(a.AsDouble(), Vector128.Truncate(a.AsDouble()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Nearest(Vector128<byte> a) =>
        QuietNaNs(a.AsDouble(), Vector128.Round(a.AsDouble(), MidpointRounding.ToEven));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> EitherNaN<T>(Vector128<T> x, Vector128<T> y) =>
        ~(Vector128.Equals(x, x) & Vector128.Equals(y, y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> QuietNaNs<T>(Vector128<T> input, Vector128<T> rounded) =>
        Vector128.ConditionalSelect(Vector128.Equals(input, input), rounded, input + input).AsByte();
}
