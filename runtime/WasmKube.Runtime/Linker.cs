namespace WasmKube.Runtime;

/// <summary>
/// Resolves imports by (module, name) and instantiates modules. Definitions are host functions, memories, tables,
/// globals, or every export of an instance (the spec's <c>register</c>).
/// </summary>
public sealed class Linker
{
    /// <summary>Defines one item: a <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>. Redefinition replaces.</summary>
    public Linker Define(string module, string name, object item) => throw new NotImplementedException();

    /// <summary>Defines a typed host function; see <see cref="Func.Wrap"/> for the supported delegate shapes.</summary>
    public Linker DefineFunction(Store store, string module, string name, Delegate function) =>
        Define(module, name, Func.Wrap(store, function));

    /// <summary>Makes every export of <paramref name="instance"/> importable under <paramref name="module"/>.</summary>
    public Linker DefineInstance(string module, Instance instance) => throw new NotImplementedException();

    /// <summary>
    /// Links and instantiates: resolves imports (<see cref="LinkException"/> when missing or mistyped), allocates,
    /// initializes segments (a trap here is a <see cref="TrapException"/>, leaving partially written state as the
    /// spec says) and runs the start function.
    /// </summary>
    public Instance Instantiate(Store store, Module module) => throw new NotImplementedException();
}
