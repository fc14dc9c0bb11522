using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>Builds v128 values from lane arrays and reads lanes back, plus edge-heavy random inputs.</summary>
internal static class LaneVectors
{
    // Lanes not given are zero.

    public static Vector128<byte> I8(params sbyte[] lanes) => Build(lanes);

    public static Vector128<byte> U8(params byte[] lanes) => Build(lanes);

    public static Vector128<byte> I16(params short[] lanes) => Build(lanes);

    public static Vector128<byte> I32(params int[] lanes) => Build(lanes);

    public static Vector128<byte> I64(params long[] lanes) => Build(lanes);

    public static Vector128<byte> F32(params float[] lanes) => Build(lanes);

    public static Vector128<byte> F32Bits(params uint[] lanes) => Build(lanes);

    public static Vector128<byte> F64(params double[] lanes) => Build(lanes);

    public static Vector128<byte> F64Bits(params ulong[] lanes) => Build(lanes);

    public static sbyte[] AsI8(Vector128<byte> v) => Lanes(v.AsSByte());

    public static byte[] AsU8(Vector128<byte> v) => Lanes(v);

    public static short[] AsI16(Vector128<byte> v) => Lanes(v.AsInt16());

    public static ushort[] AsU16(Vector128<byte> v) => Lanes(v.AsUInt16());

    public static int[] AsI32(Vector128<byte> v) => Lanes(v.AsInt32());

    public static uint[] AsU32(Vector128<byte> v) => Lanes(v.AsUInt32());

    public static long[] AsI64(Vector128<byte> v) => Lanes(v.AsInt64());

    public static uint[] AsF32Bits(Vector128<byte> v) => Lanes(v.AsUInt32());

    public static ulong[] AsF64Bits(Vector128<byte> v) => Lanes(v.AsUInt64());

    /// <summary>
    /// Random vectors in which about half of the bytes are taken from the boundary values 0x00, 0x01, 0x7F, 0x80,
    /// 0xFF, so that minimum and maximum lane values of every width show up often.
    /// </summary>
    public static IEnumerable<Vector128<byte>> Samples(int seed, int count)
    {
        var random = new Random(seed);
        byte[] edges = [0x00, 0x01, 0x7F, 0x80, 0xFF];
        var bytes = new byte[16];
        for (var n = 0; n < count; n++)
        {
            random.NextBytes(bytes);
            var laneWidth = 1 << random.Next(4);
            for (var lane = 0; lane < 16; lane += laneWidth)
            {
                if (random.Next(2) == 0)
                {
                    // Whole lane of the chosen width: boundary byte on top, then 0x00 or 0xFF fill (e.g. 0x8000, 0x7FFF).
                    var fill = random.Next(2) == 0 ? (byte)0x00 : (byte)0xFF;
                    for (var i = 0; i < laneWidth; i++)
                    {
                        bytes[lane + i] = fill;
                    }
                    bytes[lane + laneWidth - 1] = edges[random.Next(edges.Length)];
                }
            }
            yield return Vector128.Create(bytes);
        }
    }

    private static Vector128<byte> Build<T>(T[] lanes)
    {
        var all = new T[Vector128<T>.Count];
        lanes.CopyTo(all, 0);
        return Vector128.Create(all).AsByte();
    }

    private static T[] Lanes<T>(Vector128<T> v)
    {
        var lanes = new T[Vector128<T>.Count];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = v.GetElement(i);
        }
        return lanes;
    }
}
