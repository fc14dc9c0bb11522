namespace WasmKube.Runtime;

/// <summary>A table of references (funcref or externref).</summary>
public sealed class Table
{
    public Table(Store store, TableType type, Value initial) => throw new NotImplementedException();

    public TableType Type => throw new NotImplementedException();

    public uint Size => throw new NotImplementedException();

    public Value Get(uint index) => throw new NotImplementedException();

    public void Set(uint index, Value value) => throw new NotImplementedException();

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="initial"/>; returns the old size, or -1.</summary>
    public int Grow(uint delta, Value initial) => throw new NotImplementedException();
}
