using WasmKube.Runtime.Execution;

namespace WasmKube.Runtime;

/// <summary>
/// Resolves imports by (module, name) and instantiates modules. Definitions are host functions, memories, tables,
/// globals, or every export of an instance (the spec's <c>register</c>).
/// </summary>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), object> _definitions = [];

    /// <summary>Defines one item: a <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>. Redefinition replaces.</summary>
    public Linker Define(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (item is not (Func or Memory or Table or Global))
        {
            throw new ArgumentException($"only a Func, Memory, Table or Global can be defined, not {item?.GetType().Name ?? "null"}", nameof(item));
        }

        _definitions[(module, name)] = item;
        return this;
    }

    /// <summary>Defines a typed host function; see <see cref="Func.Wrap"/> for the supported delegate shapes.</summary>
    public Linker DefineFunction(Store store, string module, string name, Delegate function) =>
        Define(module, name, Func.Wrap(store, function));

    /// <summary>Makes every export of <paramref name="instance"/> importable under <paramref name="module"/>.</summary>
    public Linker DefineInstance(string module, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var (name, item) in instance.Exports) Define(module, name, item);
        return this;
    }

    /// <summary>The item defined under (<paramref name="module"/>, <paramref name="name"/>), or null.</summary>
    public object? Get(string module, string name) => _definitions.GetValueOrDefault((module, name));

    /// <summary>
    /// Links and instantiates: resolves imports (<see cref="LinkException"/> when missing or mistyped), allocates,
    /// initializes segments (a trap here is a <see cref="TrapException"/>, leaving partially written state as the
    /// spec says) and runs the start function.
    /// </summary>
    public Instance Instantiate(Store store, Module module)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        var imports = new object[module.Definition.Imports.Length];
        for (var i = 0; i < imports.Length; i++)
        {
            var import = module.Definition.Imports[i];
            imports[i] = _definitions.GetValueOrDefault((import.Module, import.Name))
                ?? throw new LinkException("unknown import", import.Module, import.Name);
        }

        return Instantiator.Instantiate(store, module, imports);
    }
}
