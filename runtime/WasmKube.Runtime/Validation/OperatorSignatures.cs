using WasmKube.Runtime.Binary;

namespace WasmKube.Runtime.Validation;

/// <summary>
/// Stack effects of the numeric and vector operators (spec §3.3.1, §3.3.2), derived once from their text names,
/// whose shape encodes the types (<c>i64.extend_i32_s</c>: i32 to i64; <c>i16x8.shl</c>: v128 and i32 to v128).
/// Instructions with immediates or polymorphic typing are handled by <see cref="FunctionValidator"/> itself.
/// </summary>
internal static class OperatorSignatures
{
    private static readonly OperatorSignature[] Plain = new OperatorSignature[256];
    private static readonly OperatorSignature[] Misc = new OperatorSignature[256];
    private static readonly OperatorSignature[] Simd = new OperatorSignature[256];

    private static readonly string[] UnaryOperations =
    [
        "clz", "ctz", "popcnt", "abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest", "not",
        "extend8_s", "extend16_s", "extend32_s",
    ];

    private static readonly string[] UnaryVectorPrefixes =
    [
        "extend_low_", "extend_high_", "extadd_pairwise_", "convert_", "trunc_sat_", "demote_", "promote_",
    ];

    static OperatorSignatures()
    {
        foreach (var opcode in Enum.GetValues<Opcode>())
        {
            var signature = Derive(OpcodeNames.Of(opcode), opcode);
            if (signature.IsDefined)
            {
                TableFor(opcode)[(int)opcode & 0xFF] = signature;
            }
        }
    }

    /// <summary>The stack effect of <paramref name="opcode"/>, or an undefined signature if it needs special handling.</summary>
    public static OperatorSignature Of(Opcode opcode) => TableFor(opcode)[(int)opcode & 0xFF];

    private static OperatorSignature[] TableFor(Opcode opcode) => ((int)opcode >> 16) switch
    {
        0xFC => Misc,
        0xFD => Simd,
        _ => Plain,
    };

    private static OperatorSignature Derive(string name, Opcode opcode)
    {
        if (IsSpecial(opcode))
        {
            return default;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return default;
        }

        var shape = name[..dot];
        var operation = name[(dot + 1)..];
        if (ScalarType(shape) is { } scalar)
        {
            return DeriveScalar(scalar, operation);
        }

        return shape is "v128" or "i8x16" or "i16x8" or "i32x4" or "i64x2" or "f32x4" or "f64x2"
            ? DeriveVector(shape, operation)
            : default;
    }

    private static OperatorSignature DeriveScalar(ValueType type, string operation)
    {
        if (operation == "eqz")
        {
            return OperatorSignature.Unary(type, ValueType.I32);
        }

        if (operation is "eq" or "ne" or "lt" or "gt" or "le" or "ge" or "lt_s" or "lt_u" or "gt_s" or "gt_u" or "le_s" or "le_u" or "ge_s" or "ge_u")
        {
            return OperatorSignature.Binary(type, ValueType.I32);
        }

        if (Array.IndexOf(UnaryOperations, operation) >= 0)
        {
            return OperatorSignature.Unary(type, type);
        }

        // Conversions name their source type after an underscore: wrap_i64, trunc_sat_f32_s, reinterpret_f32.
        foreach (var source in (ReadOnlySpan<string>)["i32", "i64", "f32", "f64"])
        {
            if (operation.Contains("_" + source, StringComparison.Ordinal))
            {
                return OperatorSignature.Unary(ScalarType(source)!.Value, type);
            }
        }

        return OperatorSignature.Binary(type, type);
    }

    private static OperatorSignature DeriveVector(string shape, string operation)
    {
        const ValueType V128 = ValueType.V128;
        if (operation == "splat")
        {
            return OperatorSignature.Unary(LaneType(shape), V128);
        }

        if (operation is "any_true" or "all_true" or "bitmask")
        {
            return OperatorSignature.Unary(V128, ValueType.I32);
        }

        if (operation is "shl" or "shr_s" or "shr_u")
        {
            return new OperatorSignature(2, V128, ValueType.I32, 0, V128);
        }

        if (operation == "bitselect")
        {
            return new OperatorSignature(3, V128, V128, V128, V128);
        }

        if (Array.IndexOf(UnaryOperations, operation) >= 0)
        {
            return OperatorSignature.Unary(V128, V128);
        }

        foreach (var prefix in UnaryVectorPrefixes)
        {
            if (operation.StartsWith(prefix, StringComparison.Ordinal))
            {
                return OperatorSignature.Unary(V128, V128);
            }
        }

        return OperatorSignature.Binary(V128, V128);
    }

    /// <summary>The scalar type of one lane of a vector shape.</summary>
    internal static ValueType LaneType(string shape) => shape switch
    {
        "i64x2" => ValueType.I64,
        "f32x4" => ValueType.F32,
        "f64x2" => ValueType.F64,
        _ => ValueType.I32,
    };

    private static ValueType? ScalarType(string shape) => shape switch
    {
        "i32" => ValueType.I32,
        "i64" => ValueType.I64,
        "f32" => ValueType.F32,
        "f64" => ValueType.F64,
        _ => null,
    };

    /// <summary>Opcodes with immediates, memory access or polymorphic typing.</summary>
    private static bool IsSpecial(Opcode opcode) =>
        opcode is Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const or Opcode.V128Const
            or Opcode.I8x16Shuffle
            or (>= Opcode.I32Load and <= Opcode.MemoryGrow)
            or (>= Opcode.V128Load and <= Opcode.V128Store)
            or (>= Opcode.I8x16ExtractLaneS and <= Opcode.F64x2ReplaceLane)
            or (>= Opcode.V128Load8Lane and <= Opcode.V128Load64Zero)
            or (>= Opcode.MemoryInit and <= Opcode.TableFill)
        || (int)opcode < (int)Opcode.I32Load;
}
