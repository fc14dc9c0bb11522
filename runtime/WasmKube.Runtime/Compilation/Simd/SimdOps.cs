using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Compilation.Simd;

/// <summary>
/// The semantics of the WebAssembly fixed-width SIMD instructions (spec §4.3.2, §4.4.3), one method per 0xFD opcode
/// except <c>v128.load</c>, <c>v128.store</c> and <c>v128.const</c>, which the compiler emits directly.
/// Compiled code calls these by the name of their <see cref="Binary.Opcode"/> member: operands come in stack order,
/// immediates (lane indices, shuffle lanes) trail them, memory forms take or return the raw bits the compiler
/// moved to or from linear memory. A v128 is always a <see cref="Vector128{T}"/> of bytes, lane 0 first, which
/// matches wasm's little-endian lane order on the little-endian hosts .NET runs on.
/// </summary>
/// <remarks>
/// Vector128 APIs are used where their .NET semantics equal wasm's; where they differ (float min/max, saturating
/// conversions, shift counts, abs of the minimum value) the methods spell out wasm's rule explicitly.
/// </remarks>
internal static partial class SimdOps
{
    // Bitwise operations: spec §4.3.2 "ivnot", "ivand", "ivandnot", "ivor", "ivxor", "ivbitselect", "ivanytrue".

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Not(Vector128<byte> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128And(Vector128<byte> a, Vector128<byte> b) => a & b;

    /// <summary>a AND NOT b (note the operand order: the second operand is the one complemented).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Andnot(Vector128<byte> a, Vector128<byte> b) => a & ~b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Or(Vector128<byte> a, Vector128<byte> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Xor(Vector128<byte> a, Vector128<byte> b) => a ^ b;

    /// <summary>Bits of <paramref name="v1"/> where <paramref name="mask"/> is 1, of <paramref name="v2"/> elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Bitselect(Vector128<byte> v1, Vector128<byte> v2, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(mask, v1, v2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int V128AnyTrue(Vector128<byte> a) => a != Vector128<byte>.Zero ? 1 : 0;

    // all_true and bitmask per shape: spec §4.3.2 "ivalltrue", "ivbitmask".

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a, Vector128<byte>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8AllTrue(Vector128<byte> a) =>
        Vector128.EqualsAny(a.AsUInt16(), Vector128<ushort>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4AllTrue(Vector128<byte> a) =>
        Vector128.EqualsAny(a.AsUInt32(), Vector128<uint>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I64x2AllTrue(Vector128<byte> a) =>
        Vector128.EqualsAny(a.AsUInt64(), Vector128<ulong>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I64x2Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt64());
}
