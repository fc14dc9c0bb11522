using System.Runtime.CompilerServices;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Float constants that compiled code must not show RyuJIT as constants. The JIT keeps float constants as doubles,
/// so a signalling f32 NaN constant would come back quiet, and it folds x - 0, x + -0, x * 1 and x / 1 (and the
/// like with -1) to x or -x, which returns a signalling NaN operand unchanged where wasm arithmetic must produce a
/// quiet one (spec §4.3.3, NaN propagation). NaN constants therefore come from a call the JIT does not inline and
/// ±0 and ±1 from array elements, which the JIT never treats as constant.
/// </summary>
internal static class OpaqueFloats
{
    /// <summary>+0, -0, 1, -1; <see cref="IndexOf(uint)"/> gives a value's position.</summary>
    public static readonly float[] F32 = [0f, -0f, 1f, -1f];

    /// <summary>+0, -0, 1, -1, in the order of <see cref="F32"/>.</summary>
    public static readonly double[] F64 = [0d, -0d, 1d, -1d];

    /// <summary>The position in <see cref="F32"/> of the f32 with these bits, or -1.</summary>
    public static int IndexOf(uint bits) => bits switch
    {
        0x0000_0000 => 0,
        0x8000_0000 => 1,
        0x3F80_0000 => 2,
        0xBF80_0000 => 3,
        _ => -1,
    };

    /// <summary>The position in <see cref="F64"/> of the f64 with these bits, or -1.</summary>
    public static int IndexOf(ulong bits) => bits switch
    {
        0x0000_0000_0000_0000 => 0,
        0x8000_0000_0000_0000 => 1,
        0x3FF0_0000_0000_0000 => 2,
        0xBFF0_0000_0000_0000 => 3,
        _ => -1,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64FromBits(long bits) => BitConverter.Int64BitsToDouble(bits);
}
