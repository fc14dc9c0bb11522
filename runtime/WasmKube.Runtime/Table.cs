namespace WasmKube.Runtime;

/// <summary>A table of references (funcref or externref).</summary>
/// <remarks>Elements are <see cref="Func"/> objects (funcref) or host objects (externref); null is the null reference.</remarks>
public sealed class Table
{
    // Beyond this many elements growth fails (-1) rather than exhausting the process.
    internal const uint MaxElements = 10_000_000;

    internal object?[] Elements;

    public Table(Store store, TableType type, Value initial)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        if (type.ElementType is not (ValueType.FuncRef or ValueType.ExternRef))
        {
            throw new ArgumentException($"a table holds funcref or externref, not {type.ElementType}", nameof(type));
        }

        if (type.Limits.Minimum > MaxElements)
        {
            throw new TrapException(TrapKind.TableOutOfBounds, detail: $"a table of {type.Limits.Minimum} elements exceeds the engine's limit of {MaxElements}");
        }

        Store = store;
        Type = type;
        var reference = CheckElement(initial);
        Elements = new object?[type.Limits.Minimum];
        if (reference is not null) Array.Fill(Elements, reference);
    }

    public Store Store { get; }

    public TableType Type { get; }

    public uint Size => (uint)Elements.Length;

    public Value Get(uint index)
    {
        if (index >= Size) throw new TrapException(TrapKind.TableOutOfBounds, detail: $"index {index} of a table of {Size}");
        return Type.ElementType == ValueType.FuncRef ? Value.FuncRef((Func?)Elements[index]) : Value.ExternRef(Elements[index]);
    }

    public void Set(uint index, Value value)
    {
        var reference = CheckElement(value);
        if (index >= Size) throw new TrapException(TrapKind.TableOutOfBounds, detail: $"index {index} of a table of {Size}");
        Elements[index] = reference;
    }

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="initial"/>; returns the old size, or -1.</summary>
    public int Grow(uint delta, Value initial) => Grow(delta, CheckElement(initial));

    internal int Grow(uint delta, object? initial)
    {
        var old = Size;
        var size = (ulong)old + delta;
        if (size > (Type.Limits.Maximum ?? uint.MaxValue) || size > MaxElements) return -1;
        if (delta == 0) return (int)old;
        var grown = new object?[size];
        Array.Copy(Elements, grown, old);
        if (initial is not null) Array.Fill(grown, initial, (int)old, (int)delta);
        Elements = grown;
        return (int)old;
    }

    private object? CheckElement(Value value)
    {
        if (value.Type != Type.ElementType)
        {
            throw new ArgumentException($"a {Type.ElementType} table cannot hold a {value.Type} value", nameof(value));
        }

        return value.Reference;
    }
}
