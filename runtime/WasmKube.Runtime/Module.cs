using WasmKube.Runtime.Model;

namespace WasmKube.Runtime;

/// <summary>Describes one import or export of a module for the embedder.</summary>
public sealed record ExternDescriptor(string? Module, string Name, ExternKind Kind, object Type);

/// <summary>
/// A decoded, validated and compiled module: compile once, instantiate many times, from any thread.
/// Throws <see cref="MalformedModuleException"/> or <see cref="InvalidModuleException"/> for bad bytes.
/// </summary>
public sealed class Module
{
    private Module() => throw new NotImplementedException();

    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> bytes, string? name = null) => throw new NotImplementedException();

    public static Module FromFile(Engine engine, string path) => throw new NotImplementedException();

    /// <summary>Decodes and validates without compiling.</summary>
    public static void Validate(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();

    public Engine Engine => throw new NotImplementedException();

    public string? Name => throw new NotImplementedException();

    public ModuleDefinition Definition => throw new NotImplementedException();

    public IReadOnlyList<ExternDescriptor> Imports => throw new NotImplementedException();

    public IReadOnlyList<ExternDescriptor> Exports => throw new NotImplementedException();
}
