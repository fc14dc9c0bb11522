using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Compilation;
using WasmKube.Runtime.Model;
using WasmKube.Runtime.Validation;

namespace WasmKube.Runtime;

/// <summary>Describes one import or export of a module for the embedder.</summary>
public sealed record ExternDescriptor(string? Module, string Name, ExternKind Kind, object Type);

/// <summary>
/// A decoded, validated and compiled module: compile once, instantiate many times, from any thread.
/// Throws <see cref="MalformedModuleException"/> or <see cref="InvalidModuleException"/> for bad bytes, and
/// <see cref="CompileLimitException"/> for a valid module over one of the engine's limits.
/// </summary>
public sealed class Module
{
    private Module(Engine engine, string? name, ModuleInfo info, CompiledCode code)
    {
        Engine = engine;
        Name = name ?? info.Definition.Name;
        Info = info;
        Code = code;
        var definition = info.Definition;
        Imports = [.. definition.Imports.Select(i => new ExternDescriptor(i.Module, i.Name, i.Kind, i.Descriptor switch
        {
            FunctionImport f => definition.Types[(int)f.TypeIndex],
            TableImport t => t.Type,
            MemoryImport m => m.Type,
            GlobalImport g => (object)g.Type,
            _ => throw new InvalidOperationException("unknown import kind"),
        }))];
        Exports = [.. definition.Exports.Select(e => new ExternDescriptor(null, e.Name, e.Kind, e.Kind switch
        {
            ExternKind.Function => info.FunctionTypes[(int)e.Index],
            ExternKind.Table => info.Tables[(int)e.Index],
            ExternKind.Memory => MemoryTypeAt(definition, e.Index),
            _ => (object)info.Globals[(int)e.Index],
        }))];
    }

    internal ModuleInfo Info { get; }

    internal CompiledCode Code { get; }

    /// <summary>Whether the module runs ReadyToRun native code from the compile cache (see <see cref="EngineOptions.ReadyToRunCompiler"/>) rather than JIT-compiled IL.</summary>
    public bool IsReadyToRun => Code.IsReadyToRun;

    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> bytes, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var budget = new CompileBudget(engine.Options);
        var image = bytes.ToArray();
        var definition = ModuleDecoder.Decode(image.AsMemory());
        Validator.Validate(definition);
        budget.Check();
        var info = new ModuleInfo(definition, engine.Options, budget);
        var compiledImage = CompileCache.GetOrCompile(engine, image, info, name);
        return new Module(engine, name, info, CompiledCode.Load(compiledImage, definition, name, info.ImportedFunctionCount));
    }

    public static Module FromFile(Engine engine, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromBytes(engine, File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Decodes and validates without compiling.</summary>
    public static void Validate(ReadOnlySpan<byte> bytes) => Validator.Validate(ModuleDecoder.Decode(bytes));

    public Engine Engine { get; }

    public string? Name { get; }

    public ModuleDefinition Definition => Info.Definition;

    public IReadOnlyList<ExternDescriptor> Imports { get; }

    public IReadOnlyList<ExternDescriptor> Exports { get; }

    private static MemoryType MemoryTypeAt(ModuleDefinition definition, uint index)
    {
        var imported = definition.Imports.Select(i => i.Descriptor).OfType<MemoryImport>().Select(m => m.Type).ToList();
        return index < imported.Count ? imported[(int)index] : definition.Memories[(int)index - imported.Count];
    }
}
