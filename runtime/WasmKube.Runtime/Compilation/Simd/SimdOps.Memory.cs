using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Compilation.Simd;

/// <summary>
/// The value part of the SIMD memory instructions (spec §4.4.7): the compiler performs the bounds-checked access and
/// passes the loaded little-endian bits here, or stores the scalar returned by the store-lane forms.
/// </summary>
internal static partial class SimdOps
{
    // load MxN_s/u: 8 bytes read as N lanes of M bits, each sign- or zero-extended to 2M bits.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8x8S(ulong raw) =>
        Vector128.WidenLower(Vector128.CreateScalar(raw).AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8x8U(ulong raw) =>
        Vector128.WidenLower(Vector128.CreateScalar(raw).AsByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16x4S(ulong raw) =>
        Vector128.WidenLower(Vector128.CreateScalar(raw).AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16x4U(ulong raw) =>
        Vector128.WidenLower(Vector128.CreateScalar(raw).AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32x2S(ulong raw) =>
        Vector128.WidenLower(Vector128.CreateScalar(raw).AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32x2U(ulong raw) =>
        Vector128.WidenLower(Vector128.CreateScalar(raw).AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8Splat(byte raw) => Vector128.Create(raw);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16Splat(ushort raw) => Vector128.Create(raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32Splat(uint raw) => Vector128.Create(raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load64Splat(ulong raw) => Vector128.Create(raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32Zero(uint raw) => Vector128.CreateScalar(raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load64Zero(ulong raw) => Vector128.CreateScalar(raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8Lane(Vector128<byte> a, byte raw, byte lane) => a.WithElement(lane, raw);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16Lane(Vector128<byte> a, ushort raw, byte lane) =>
        a.AsUInt16().WithElement(lane, raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32Lane(Vector128<byte> a, uint raw, byte lane) =>
        a.AsUInt32().WithElement(lane, raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load64Lane(Vector128<byte> a, ulong raw, byte lane) =>
        a.AsUInt64().WithElement(lane, raw).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte V128Store8Lane(Vector128<byte> a, byte lane) => a.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort V128Store16Lane(Vector128<byte> a, byte lane) => a.AsUInt16().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint V128Store32Lane(Vector128<byte> a, byte lane) => a.AsUInt32().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong V128Store64Lane(Vector128<byte> a, byte lane) => a.AsUInt64().GetElement(lane);
}
