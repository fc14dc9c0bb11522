namespace WasmKube.Runtime;

/// <summary>An instantiated module. Created by <see cref="Linker.Instantiate"/>.</summary>
public sealed class Instance
{
    private Instance() => throw new NotImplementedException();

    public Module Module => throw new NotImplementedException();

    public Store Store => throw new NotImplementedException();

    /// <summary>Exports by name: <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</summary>
    public IReadOnlyDictionary<string, object> Exports => throw new NotImplementedException();

    public object? GetExport(string name) => Exports.TryGetValue(name, out var value) ? value : null;

    public Func? GetFunction(string name) => GetExport(name) as Func;

    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    public Table? GetTable(string name) => GetExport(name) as Table;

    public Global? GetGlobal(string name) => GetExport(name) as Global;
}
