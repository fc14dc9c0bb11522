using System.Runtime.Intrinsics;

namespace WasmKube.Runtime;

/// <summary>
/// A WebAssembly value as seen by the embedder (arguments and results of <see cref="Func.Invoke"/>, global values).
/// Compiled code never uses this type: it works on IL locals of the primitive types.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly ulong _bits;
    private readonly Vector128<byte> _v128;
    private readonly object? _reference;

    private Value(ValueType type, ulong bits, Vector128<byte> v128, object? reference)
    {
        Type = type;
        _bits = bits;
        _v128 = v128;
        _reference = reference;
    }

    public ValueType Type { get; }

    public static Value I32(int value) => new(ValueType.I32, (uint)value, default, null);

    public static Value I64(long value) => new(ValueType.I64, (ulong)value, default, null);

    public static Value F32(float value) => new(ValueType.F32, BitConverter.SingleToUInt32Bits(value), default, null);

    public static Value F64(double value) => new(ValueType.F64, BitConverter.DoubleToUInt64Bits(value), default, null);

    /// <summary>An f32 from its exact bit pattern (keeps NaN payloads).</summary>
    public static Value F32Bits(uint bits) => new(ValueType.F32, bits, default, null);

    /// <summary>An f64 from its exact bit pattern (keeps NaN payloads).</summary>
    public static Value F64Bits(ulong bits) => new(ValueType.F64, bits, default, null);

    public static Value V128(Vector128<byte> value) => new(ValueType.V128, 0, value, null);

    /// <summary>A funcref; null is the null reference.</summary>
    public static Value FuncRef(Func? function) => new(ValueType.FuncRef, 0, default, function);

    /// <summary>An externref holding any host object; null is the null reference.</summary>
    public static Value ExternRef(object? value) => new(ValueType.ExternRef, 0, default, value);

    /// <summary>The zero value of a type (spec §4.2.1 default values): 0, +0.0, null.</summary>
    public static Value Default(ValueType type) => new(type, 0, default, null);

    public int AsI32() => (int)(uint)_bits;

    public long AsI64() => (long)_bits;

    public float AsF32() => BitConverter.UInt32BitsToSingle((uint)_bits);

    public double AsF64() => BitConverter.UInt64BitsToDouble(_bits);

    /// <summary>The raw bits of an i32, i64, f32 or f64 (f32 in the low 32 bits).</summary>
    public ulong Bits => _bits;

    public Vector128<byte> AsV128() => _v128;

    public Func? AsFuncRef() => (Func?)_reference;

    public object? AsExternRef() => _reference;

    /// <summary>The reference of a funcref or externref (null for the null reference).</summary>
    public object? Reference => _reference;

    public bool IsNullReference => (Type is ValueType.FuncRef or ValueType.ExternRef) && _reference is null;

    public bool Equals(Value other) =>
        Type == other.Type && _bits == other._bits && _v128.Equals(other._v128) && ReferenceEquals(_reference, other._reference);

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, _bits, _v128, _reference);

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    public override string ToString() => Type switch
    {
        ValueType.I32 => $"i32:{AsI32()}",
        ValueType.I64 => $"i64:{AsI64()}",
        ValueType.F32 => $"f32:{AsF32()}",
        ValueType.F64 => $"f64:{AsF64()}",
        ValueType.V128 => $"v128:{_v128}",
        ValueType.FuncRef => _reference is null ? "funcref:null" : "funcref",
        ValueType.ExternRef => _reference is null ? "externref:null" : $"externref:{_reference}",
        _ => Type.ToString(),
    };
}
