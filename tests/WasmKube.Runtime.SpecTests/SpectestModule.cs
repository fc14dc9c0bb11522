namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// The "spectest" host module the scripts import, as the spec's test/core/README defines it: print functions, four
/// immutable globals of value 666 / 666.6, a funcref table of 10..20 elements and a memory of 1..2 pages.
/// </summary>
internal static class SpectestModule
{
    public const string Name = "spectest";

    public static void Define(Linker linker, Store store)
    {
        DefinePrint(linker, store, "print");
        DefinePrint(linker, store, "print_i32", ValueType.I32);
        DefinePrint(linker, store, "print_i64", ValueType.I64);
        DefinePrint(linker, store, "print_f32", ValueType.F32);
        DefinePrint(linker, store, "print_f64", ValueType.F64);
        DefinePrint(linker, store, "print_i32_f32", ValueType.I32, ValueType.F32);
        DefinePrint(linker, store, "print_f64_f64", ValueType.F64, ValueType.F64);

        linker.Define(Name, "global_i32", new Global(store, new GlobalType(ValueType.I32, Mutable: false), Value.I32(666)));
        linker.Define(Name, "global_i64", new Global(store, new GlobalType(ValueType.I64, Mutable: false), Value.I64(666)));
        linker.Define(Name, "global_f32", new Global(store, new GlobalType(ValueType.F32, Mutable: false), Value.F32(666.6f)));
        linker.Define(Name, "global_f64", new Global(store, new GlobalType(ValueType.F64, Mutable: false), Value.F64(666.6)));

        linker.Define(Name, "table", new Table(store, new TableType(ValueType.FuncRef, new Limits(10, 20)), Value.FuncRef(null)));
        linker.Define(Name, "memory", new Memory(store, new MemoryType(new Limits(1, 2))));
    }

    // The reference interpreter prints the arguments; the scripts never check that output, so these only accept them.
    private static void DefinePrint(Linker linker, Store store, string name, params ValueType[] parameters) =>
        linker.Define(Name, name, new Func(store, new FunctionType(parameters, []), static (_, _, _) => { }));
}
