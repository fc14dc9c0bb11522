namespace WasmKube.Runtime;

/// <summary>Size limits of a memory (in 64 KiB pages) or a table (in elements). <see cref="Maximum"/> is null when unbounded.</summary>
public readonly record struct Limits(uint Minimum, uint? Maximum)
{
    public override string ToString() => Maximum is { } max ? $"{Minimum}..{max}" : $"{Minimum}..";
}

/// <summary>The type of a table: its reference element type and limits.</summary>
public sealed record TableType(ValueType ElementType, Limits Limits);

/// <summary>The type of a linear memory: limits in 64 KiB pages.</summary>
public sealed record MemoryType(Limits Limits)
{
    public const int PageSize = 65536;

    /// <summary>The most pages a 32-bit memory can have (4 GiB).</summary>
    public const uint MaxPages = 65536;
}

/// <summary>The type of a global: its value type and whether it is mutable.</summary>
public sealed record GlobalType(ValueType ValueType, bool Mutable);

/// <summary>The four kinds of things a module imports or exports (spec §2.5.10).</summary>
public enum ExternKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}
