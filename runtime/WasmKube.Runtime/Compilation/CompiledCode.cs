using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// A compiled module's code, loaded into its own collectible <see cref="AssemblyLoadContext"/> so it is unloaded
/// once no module, instance or function refers to it. Also maps code back to wasm functions for backtraces.
/// </summary>
internal sealed class CompiledCode
{
    private static readonly ConditionalWeakTable<Assembly, CompiledCode> ByAssembly = new();

    private readonly MethodInfo[] _trampolines;
    private readonly int[][] _offsetMaps;
    private readonly int _importedFunctions;

    private CompiledCode(Type code, ModuleDefinition definition, string? name, int importedFunctions, int[][] offsetMaps)
    {
        _offsetMaps = offsetMaps;
        _importedFunctions = importedFunctions;
        Definition = definition;
        Name = name ?? definition.Name;
        _trampolines = new MethodInfo[definition.Bodies.Length];

        // One pass over the methods: looking each up by name is quadratic in reflection.
        foreach (var method in code.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            if (method.Name.StartsWith('d') && uint.TryParse(method.Name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index >= importedFunctions && index - importedFunctions < _trampolines.Length)
            {
                _trampolines[index - importedFunctions] = method;
            }
        }

        var missing = Array.IndexOf(_trampolines, null);
        if (missing >= 0)
        {
            throw new InvalidOperationException($"compiled code lacks function {missing + importedFunctions}; the image does not belong to this module");
        }
    }

    public ModuleDefinition Definition { get; }

    /// <summary>Whether the code came with ReadyToRun native code (loaded non-collectible) rather than IL only.</summary>
    public bool IsReadyToRun { get; private init; }

    public string? Name { get; }

    /// <summary>The method a delegate of defined function <paramref name="definedIndex"/> is closed over (context first).</summary>
    public MethodInfo Trampoline(int definedIndex) => _trampolines[definedIndex];

    /// <summary>
    /// An image: the assembly's length and bytes, then per defined function the count and the (IL offset, module
    /// offset) pairs of its instructions, all little-endian int32.
    /// </summary>
    public static byte[] Pack(byte[] assembly, int[][] offsetMaps)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(assembly.Length);
        writer.Write(assembly);
        writer.Write(offsetMaps.Length);
        foreach (var map in offsetMaps)
        {
            writer.Write(map.Length);
            foreach (var value in map) writer.Write(value);
        }

        writer.Flush();
        return stream.ToArray();
    }

    public static (byte[] Assembly, int[][] OffsetMaps) Unpack(byte[] image)
    {
        using var reader = new BinaryReader(new MemoryStream(image, writable: false));
        var assembly = reader.ReadBytes(reader.ReadInt32());
        var maps = new int[reader.ReadInt32()][];
        for (var i = 0; i < maps.Length; i++)
        {
            var map = maps[i] = new int[reader.ReadInt32()];
            for (var j = 0; j < map.Length; j++) map[j] = reader.ReadInt32();
        }

        return (assembly, maps);
    }

    /// <summary>The module offset of the instruction at <paramref name="ilOffset"/> in function <paramref name="index"/>, if known.</summary>
    public int? ModuleOffsetAt(uint index, int ilOffset)
    {
        if (ilOffset < 0 || index < _importedFunctions || index - _importedFunctions >= _offsetMaps.Length) return null;
        var map = _offsetMaps[index - _importedFunctions];
        int? found = null;
        for (var i = 0; i + 1 < map.Length && map[i] <= ilOffset; i += 2) found = map[i + 1];
        return found;
    }

    public static CompiledCode Load(byte[] image, ModuleDefinition definition, string? name, int importedFunctions)
    {
        var (assemblyImage, offsetMaps) = Unpack(image);
        // The runtime ignores ReadyToRun code in collectible contexts, so native images stay loaded for the process.
        var isReadyToRun = ReadyToRunImage.HasNativeCode(assemblyImage);
        var context = new AssemblyLoadContext("wasm " + (name ?? definition.Name ?? "module"), isCollectible: !isReadyToRun);
        context.Resolving += static (_, assemblyName) =>
            assemblyName.Name == typeof(Func).Assembly.GetName().Name ? typeof(Func).Assembly : null;
        var mapped = isReadyToRun ? ReadyToRunImage.TryLoad(context, assemblyImage) : null;
        isReadyToRun = mapped is not null;
        var assembly = mapped ?? LoadFromBytes(context, assemblyImage);
        var code = assembly.GetType(ModuleCompiler.CodeTypeName)
            ?? throw new InvalidOperationException("the compiled image has no code type");
        var compiled = new CompiledCode(code, definition, name, importedFunctions, offsetMaps) { IsReadyToRun = isReadyToRun };
        ByAssembly.AddOrUpdate(assembly, compiled);
        return compiled;
    }

    private static Assembly LoadFromBytes(AssemblyLoadContext context, byte[] assemblyImage)
    {
        using var stream = new MemoryStream(assemblyImage, writable: false);
        return context.LoadFromStream(stream);
    }

    public static CompiledCode? ModuleOf(Assembly assembly) => ByAssembly.TryGetValue(assembly, out var code) ? code : null;

    public static string FunctionMethodName(uint index) => "f" + index.ToString(CultureInfo.InvariantCulture);

    public static string TrampolineMethodName(uint index) => "d" + index.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseFunctionIndex(string methodName, out uint index)
    {
        index = 0;
        return methodName.Length > 1 && methodName[0] == 'f'
            && uint.TryParse(methodName.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <summary>The name section's name of a function, else its export name.</summary>
    public string? FunctionName(uint index)
    {
        if (Definition.FunctionNames.TryGetValue(index, out var name)) return name;
        foreach (var export in Definition.Exports)
        {
            if (export.Kind == ExternKind.Function && export.Index == index) return export.Name;
        }

        return null;
    }
}
