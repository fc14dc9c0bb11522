using System.Runtime.Intrinsics;

namespace WasmKube.Runtime;

/// <summary>A global variable.</summary>
/// <remarks>Compiled code reads and writes the field of the global's type directly.</remarks>
public sealed class Global
{
    internal int I32;
    internal long I64;
    internal float F32;
    internal double F64;
    internal Vector128<byte> V128;
    internal object? Reference;

    public Global(Store store, GlobalType type, Value initial)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        Store = store;
        Type = type;
        Write(initial);
    }

    public Store Store { get; }

    public GlobalType Type { get; }

    /// <summary>The value; setting an immutable global throws <see cref="InvalidOperationException"/>.</summary>
    public Value Value
    {
        get => Type.ValueType switch
        {
            ValueType.I32 => Value.I32(I32),
            ValueType.I64 => Value.I64(I64),
            ValueType.F32 => Value.F32Bits(BitConverter.SingleToUInt32Bits(F32)),
            ValueType.F64 => Value.F64Bits(BitConverter.DoubleToUInt64Bits(F64)),
            ValueType.V128 => Value.V128(V128),
            ValueType.FuncRef => Value.FuncRef((Func?)Reference),
            _ => Value.ExternRef(Reference),
        };
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException("the global is immutable; only mutable globals can be set");
            Write(value);
        }
    }

    private void Write(Value value)
    {
        if (value.Type != Type.ValueType)
        {
            throw new ArgumentException($"a {Type.ValueType} global cannot hold a {value.Type} value", nameof(value));
        }

        switch (value.Type)
        {
            case ValueType.I32: I32 = value.AsI32(); break;
            case ValueType.I64: I64 = value.AsI64(); break;
            case ValueType.F32: F32 = value.AsF32(); break;
            case ValueType.F64: F64 = value.AsF64(); break;
            case ValueType.V128: V128 = value.AsV128(); break;
            default: Reference = value.Reference; break;
        }
    }
}
