using System.Collections.Immutable;
using System.Reflection;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Compilation;

/// <summary>What the function compiler needs to know of the whole module.</summary>
internal sealed class ModuleInfo
{
    public ModuleInfo(ModuleDefinition definition, EngineOptions options, CompileBudget? budget = null)
    {
        Definition = definition;
        Options = options;
        Budget = budget ?? new CompileBudget(options);
        var types = ImmutableArray.CreateBuilder<FunctionType>();
        foreach (var import in definition.Imports)
        {
            switch (import.Descriptor)
            {
                case FunctionImport f: types.Add(definition.Types[(int)f.TypeIndex]); break;
                case TableImport t: Tables.Add(t.Type); break;
                case MemoryImport: MemoryCount++; break;
                case GlobalImport g: Globals.Add(g.Type); break;
            }
        }

        ImportedFunctionCount = types.Count;
        foreach (var index in definition.FunctionTypeIndices) types.Add(definition.Types[(int)index]);
        FunctionTypes = types.ToImmutable();
        Tables.AddRange(definition.Tables);
        Globals.AddRange(definition.Globals.Select(g => g.Type));
        MemoryCount += definition.Memories.Length;
    }

    public ModuleDefinition Definition { get; }

    public EngineOptions Options { get; }

    /// <summary>The time and memory compiling this module may still take.</summary>
    public CompileBudget Budget { get; }

    /// <summary>Types of the whole function index space.</summary>
    public ImmutableArray<FunctionType> FunctionTypes { get; }

    public int ImportedFunctionCount { get; }

    public List<TableType> Tables { get; } = [];

    public List<GlobalType> Globals { get; } = [];

    public int MemoryCount { get; }

    /// <summary>The compiled methods of the defined functions, by function index minus imports.</summary>
    public MethodInfo[] Methods { get; set; } = [];
}
