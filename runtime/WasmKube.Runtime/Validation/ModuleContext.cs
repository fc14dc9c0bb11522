using System.Collections.Immutable;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Validation;

/// <summary>The validation context C of spec §3.1.1: every index space of a module, imports first.</summary>
internal sealed class ModuleContext
{
    public ModuleContext(ModuleDefinition module)
    {
        Module = module;
        Types = module.Types;
        var functions = new List<FunctionType>();
        var tables = new List<TableType>();
        var globals = new List<GlobalType>();
        foreach (var import in module.Imports)
        {
            switch (import.Descriptor)
            {
                case FunctionImport function:
                    functions.Add(TypeAt(function.TypeIndex, "import"));
                    break;
                case TableImport table:
                    tables.Add(table.Type);
                    break;
                case MemoryImport:
                    MemoryCount++;
                    break;
                case GlobalImport global:
                    globals.Add(global.Type);
                    break;
            }
        }

        ImportedFunctionCount = functions.Count;
        ImportedGlobalCount = globals.Count;
        foreach (var typeIndex in module.FunctionTypeIndices)
        {
            functions.Add(TypeAt(typeIndex, "function"));
        }

        tables.AddRange(module.Tables);
        MemoryCount += module.Memories.Length;
        globals.AddRange(module.Globals.Select(g => g.Type));
        Functions = [.. functions];
        Tables = [.. tables];
        Globals = [.. globals];
        DeclaredReferences = new bool[Functions.Length];
    }

    public ModuleDefinition Module { get; }

    public ImmutableArray<FunctionType> Types { get; }

    /// <summary>The type of every function, imported ones first.</summary>
    public FunctionType[] Functions { get; }

    public int ImportedFunctionCount { get; }

    public TableType[] Tables { get; }

    public int MemoryCount { get; }

    public GlobalType[] Globals { get; }

    public int ImportedGlobalCount { get; }

    /// <summary>C.refs: functions that may be named by <c>ref.func</c> inside function bodies.</summary>
    public bool[] DeclaredReferences { get; }

    public uint ElementCount => (uint)Module.Elements.Length;

    public FunctionType TypeAt(uint index, string location) =>
        index < (uint)Types.Length ? Types[(int)index] : throw new InvalidModuleException($"unknown type {index}", location);
}
