using WasmKube.Runtime.Execution;

namespace WasmKube.Runtime;

/// <summary>An instantiated module. Created by <see cref="Linker.Instantiate"/>.</summary>
public sealed class Instance
{
    private readonly Dictionary<string, object> _exports = new(StringComparer.Ordinal);

    internal Instance(Module module, Store store, InstanceContext context)
    {
        Module = module;
        Store = store;
        Context = context;
    }

    internal InstanceContext Context { get; }

    public Module Module { get; }

    public Store Store { get; }

    /// <summary>Exports by name: <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</summary>
    public IReadOnlyDictionary<string, object> Exports => _exports;

    internal void AddExport(string name, object item) => _exports[name] = item;

    public object? GetExport(string name) => Exports.TryGetValue(name, out var value) ? value : null;

    public Func? GetFunction(string name) => GetExport(name) as Func;

    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    public Table? GetTable(string name) => GetExport(name) as Table;

    public Global? GetGlobal(string name) => GetExport(name) as Global;
}
