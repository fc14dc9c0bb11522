namespace WasmKube.Runtime;

/// <summary>A global variable.</summary>
public sealed class Global
{
    public Global(Store store, GlobalType type, Value initial) => throw new NotImplementedException();

    public GlobalType Type => throw new NotImplementedException();

    /// <summary>The value; setting an immutable global throws <see cref="InvalidOperationException"/>.</summary>
    public Value Value { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }
}
