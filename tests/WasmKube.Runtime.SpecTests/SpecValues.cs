using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Converts script values to engine values and checks results against expectations. NaN expectations follow the
/// spec's definitions (core spec §4.3.3, test/core/README): a canonical NaN has only the top payload bit set; an
/// arithmetic NaN has at least that bit set; the sign is free in both.
/// </summary>
internal sealed class SpecValues
{
    private const uint F32QuietBit = 0x0040_0000;
    private const uint F32Exponent = 0x7F80_0000;
    private const ulong F64QuietBit = 0x0008_0000_0000_0000;
    private const ulong F64Exponent = 0x7FF0_0000_0000_0000;

    private readonly Dictionary<ulong, HostReference> _hostReferences = [];

    public WasmValue ToValue(SpecValue value) => value.Type switch
    {
        "i32" => WasmValue.I32((uint)ParseBits(Single(value))),
        "i64" => WasmValue.I64(ParseBits(Single(value))),
        "f32" => WasmValue.F32((uint)ParseBits(Single(value))),
        "f64" => WasmValue.F64(ParseBits(Single(value))),
        "v128" => WasmValue.V128(ToVector(value)),
        "funcref" when Single(value) == "null" => WasmValue.FuncRef(null),
        "externref" => WasmValue.ExternRef(Single(value) == "null" ? null : HostObject(ParseBits(Single(value)))),
        _ => throw new NotSupportedException($"the harness cannot pass a {value} argument"),
    };

    /// <summary>Null when <paramref name="actual"/> satisfies <paramref name="expected"/>, else what differs.</summary>
    public string? Mismatch(SpecValue expected, WasmValue actual)
    {
        if (TypeOf(expected.Type) is not { } type)
        {
            return $"the harness does not know expectations of type {expected.Type}";
        }

        if (actual.Type != type)
        {
            return $"expected a {expected.Type}, got {Format(actual, expected.LaneType)}";
        }

        if (expected.Lanes.IsEmpty)
        {
            return null;
        }

        var matches = expected.Type switch
        {
            "i32" => (uint)actual.Bits == (uint)ParseBits(expected.Lanes[0]),
            "i64" => actual.Bits == ParseBits(expected.Lanes[0]),
            "f32" => F32Matches(expected.Lanes[0], (uint)actual.Bits),
            "f64" => F64Matches(expected.Lanes[0], actual.Bits),
            "v128" => V128Matches(expected, actual.Vector),
            "funcref" => expected.Lanes[0] == "null" ? actual.IsNullReference : !actual.IsNullReference,
            "externref" => expected.Lanes[0] == "null"
                ? actual.IsNullReference
                : actual.Reference is HostReference host && host.Id == ParseBits(expected.Lanes[0]),
            _ => false,
        };
        return matches ? null : $"expected {expected}, got {Format(actual, expected.LaneType)}";
    }

    /// <summary>A result for a failure message: floats with their bit patterns, v128 by the expected lane shape.</summary>
    public static string Format(WasmValue value, string? laneType = null) => value.Type switch
    {
        WasmType.I32 => $"i32:{(uint)value.Bits}",
        WasmType.I64 => $"i64:{value.Bits}",
        WasmType.F32 => $"f32:{(uint)value.Bits} ({BitConverter.UInt32BitsToSingle((uint)value.Bits).ToString("R", CultureInfo.InvariantCulture)})",
        WasmType.F64 => $"f64:{value.Bits} ({BitConverter.UInt64BitsToDouble(value.Bits).ToString("R", CultureInfo.InvariantCulture)})",
        WasmType.V128 => $"v128:{laneType ?? "i8"}x[{string.Join(' ', Lanes(value.Vector, laneType ?? "i8"))}]",
        WasmType.FuncRef => value.IsNullReference ? "funcref:null" : "funcref:(function)",
        _ => value.IsNullReference ? "externref:null" : $"externref:({value.Reference})",
    };

    private HostReference HostObject(ulong id)
    {
        if (!_hostReferences.TryGetValue(id, out var host))
        {
            host = new HostReference(id);
            _hostReferences.Add(id, host);
        }

        return host;
    }

    private static WasmType? TypeOf(string type) => type switch
    {
        "i32" => WasmType.I32,
        "i64" => WasmType.I64,
        "f32" => WasmType.F32,
        "f64" => WasmType.F64,
        "v128" => WasmType.V128,
        "funcref" => WasmType.FuncRef,
        "externref" => WasmType.ExternRef,
        _ => null,
    };

    private static bool F32Matches(string expected, uint bits) => expected switch
    {
        "nan:canonical" => (bits & ~0x8000_0000u) == (F32Exponent | F32QuietBit),
        "nan:arithmetic" => (bits & (F32Exponent | F32QuietBit)) == (F32Exponent | F32QuietBit),
        _ => bits == (uint)ParseBits(expected),
    };

    private static bool F64Matches(string expected, ulong bits) => expected switch
    {
        "nan:canonical" => (bits & ~0x8000_0000_0000_0000ul) == (F64Exponent | F64QuietBit),
        "nan:arithmetic" => (bits & (F64Exponent | F64QuietBit)) == (F64Exponent | F64QuietBit),
        _ => bits == ParseBits(expected),
    };

    private static bool V128Matches(SpecValue expected, Vector128<byte> actual)
    {
        var laneType = expected.LaneType ?? "i8";
        var width = LaneWidth(laneType);
        if (expected.Lanes.Length * width != 16)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        actual.CopyTo(bytes);
        for (var lane = 0; lane < expected.Lanes.Length; lane++)
        {
            var bits = ReadLane(bytes, lane, width);
            var laneMatches = laneType switch
            {
                "f32" => F32Matches(expected.Lanes[lane], (uint)bits),
                "f64" => F64Matches(expected.Lanes[lane], bits),
                _ => bits == (ParseBits(expected.Lanes[lane]) & LaneMask(width)),
            };
            if (!laneMatches)
            {
                return false;
            }
        }

        return true;
    }

    private static Vector128<byte> ToVector(SpecValue value)
    {
        var width = LaneWidth(value.LaneType ?? "i8");
        if (value.Lanes.Length * width != 16)
        {
            throw new NotSupportedException($"a v128 of {value.Lanes.Length} {value.LaneType} lanes is not 128 bits");
        }

        Span<byte> bytes = stackalloc byte[16];
        for (var lane = 0; lane < value.Lanes.Length; lane++)
        {
            var bits = ParseBits(value.Lanes[lane]);
            var slot = bytes.Slice(lane * width, width);
            switch (width)
            {
                case 1: slot[0] = (byte)bits; break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)bits); break;
                case 4: BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)bits); break;
                default: BinaryPrimitives.WriteUInt64LittleEndian(slot, bits); break;
            }
        }

        return Vector128.Create((ReadOnlySpan<byte>)bytes);
    }

    private static IEnumerable<string> Lanes(Vector128<byte> vector, string laneType)
    {
        var width = LaneWidth(laneType);
        var bytes = new byte[16];
        vector.CopyTo(bytes);
        for (var lane = 0; lane < 16 / width; lane++)
        {
            yield return ReadLane(bytes, lane, width).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static ulong ReadLane(ReadOnlySpan<byte> bytes, int lane, int width)
    {
        var slot = bytes.Slice(lane * width, width);
        return width switch
        {
            1 => slot[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(slot),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(slot),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(slot),
        };
    }

    private static int LaneWidth(string laneType) => laneType switch
    {
        "i8" => 1,
        "i16" => 2,
        "i32" or "f32" => 4,
        "i64" or "f64" => 8,
        _ => throw new NotSupportedException($"unknown v128 lane type {laneType}"),
    };

    private static ulong LaneMask(int width) => width == 8 ? ulong.MaxValue : (1ul << (width * 8)) - 1;

    private static string Single(SpecValue value) =>
        value.Lanes.Length == 1 ? value.Lanes[0] : throw new NotSupportedException($"a {value.Type} value without exactly one literal");

    /// <summary>wast2json writes integers and float bit patterns as unsigned decimals; a sign is accepted too.</summary>
    private static ulong ParseBits(string text) => text.StartsWith('-')
        ? (ulong)long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
        : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
