using System.Collections.Immutable;

namespace WasmKube.Runtime.Model;

/// <summary>
/// A decoded module (spec §2.5): the immutable output of the binary decoder and the input of the validator and the
/// compiler. Function bodies are kept as byte ranges and read with <see cref="Binary.InstructionReader"/> by each phase.
/// Index spaces (functions, tables, memories, globals) start with the imports of that kind, as in the spec.
/// </summary>
public sealed record ModuleDefinition
{
    public ImmutableArray<FunctionType> Types { get; init; } = [];

    public ImmutableArray<Import> Imports { get; init; } = [];

    /// <summary>Type indices of the functions the module defines (not the imported ones).</summary>
    public ImmutableArray<uint> FunctionTypeIndices { get; init; } = [];

    public ImmutableArray<TableType> Tables { get; init; } = [];

    public ImmutableArray<MemoryType> Memories { get; init; } = [];

    public ImmutableArray<GlobalDefinition> Globals { get; init; } = [];

    public ImmutableArray<Export> Exports { get; init; } = [];

    public uint? StartFunction { get; init; }

    public ImmutableArray<ElementSegment> Elements { get; init; } = [];

    /// <summary>The data count section's value, when present (required by memory.init and data.drop).</summary>
    public uint? DataCount { get; init; }

    public ImmutableArray<FunctionBody> Bodies { get; init; } = [];

    public ImmutableArray<DataSegment> Data { get; init; } = [];

    public ImmutableArray<CustomSection> CustomSections { get; init; } = [];

    /// <summary>Function names from the "name" custom section, by function index; used in backtraces.</summary>
    public ImmutableDictionary<uint, string> FunctionNames { get; init; } = ImmutableDictionary<uint, string>.Empty;

    /// <summary>The module's own name from the "name" custom section, if any.</summary>
    public string? Name { get; init; }
}

/// <summary>An import: module and field name and what is imported.</summary>
public sealed record Import(string Module, string Name, ImportDescriptor Descriptor)
{
    public ExternKind Kind => Descriptor.Kind;
}

/// <summary>What an import expects: one of the four subclasses.</summary>
public abstract record ImportDescriptor(ExternKind Kind);

public sealed record FunctionImport(uint TypeIndex) : ImportDescriptor(ExternKind.Function);

public sealed record TableImport(TableType Type) : ImportDescriptor(ExternKind.Table);

public sealed record MemoryImport(MemoryType Type) : ImportDescriptor(ExternKind.Memory);

public sealed record GlobalImport(GlobalType Type) : ImportDescriptor(ExternKind.Global);

/// <summary>An export: a name and an index into the index space of <see cref="Kind"/>.</summary>
public sealed record Export(string Name, ExternKind Kind, uint Index);

/// <summary>A global defined by the module, with its initializer.</summary>
public sealed record GlobalDefinition(GlobalType Type, ConstantExpression Initializer);

/// <summary>A function body: its declared locals (expanded, parameters excluded) and its instruction bytes.</summary>
/// <param name="Locals">One entry per local, in order, after the parameters.</param>
/// <param name="Code">The instructions, ending with the final <c>end</c>.</param>
/// <param name="CodeOffset">Offset of <paramref name="Code"/> in the module binary, so errors and backtraces name module offsets.</param>
public sealed record FunctionBody(ImmutableArray<ValueType> Locals, ReadOnlyMemory<byte> Code, int CodeOffset);

public enum SegmentMode : byte
{
    Active,
    Passive,
    Declarative,
}

/// <summary>
/// An element segment (spec §2.5.7). All binary encodings are normalized: a vector of function indices becomes
/// one <c>ref.func</c> expression per element.
/// </summary>
public sealed record ElementSegment(
    ValueType Type,
    SegmentMode Mode,
    uint TableIndex,
    ConstantExpression? Offset,
    ImmutableArray<ConstantExpression> Initializers);

/// <summary>A data segment (spec §2.5.8). <see cref="Offset"/> is set for active segments only.</summary>
public sealed record DataSegment(SegmentMode Mode, uint MemoryIndex, ConstantExpression? Offset, ReadOnlyMemory<byte> Bytes);

/// <summary>A custom section, kept verbatim.</summary>
public sealed record CustomSection(string Name, ReadOnlyMemory<byte> Content);

/// <summary>
/// A constant expression (spec §3.3.10): the decoded instructions before the final <c>end</c>. WebAssembly 2.0 allows
/// one of <c>t.const</c>, <c>ref.null</c>, <c>ref.func</c> or <c>global.get</c>; the decoder keeps whatever it read so
/// that the validator can reject non-constant instructions with the spec's reason.
/// </summary>
public sealed record ConstantExpression(ImmutableArray<ConstantInstruction> Instructions, int Offset);

/// <summary>
/// One instruction of a constant expression. <see cref="Bits"/> holds the raw bits of an integer or float constant
/// (f32 in the low 32 bits), <see cref="V128"/> the bytes of a v128.const, <see cref="Index"/> the function or global
/// index, <see cref="ReferenceType"/> the type of a ref.null.
/// </summary>
public readonly record struct ConstantInstruction(
    Binary.Opcode Opcode,
    ulong Bits = 0,
    System.Runtime.Intrinsics.Vector128<byte> V128 = default,
    uint Index = 0,
    ValueType ReferenceType = default);
