namespace WasmKube.Runtime;

/// <summary>Base of every error the engine raises. Nothing else escapes the engine for a bad module or a guest fault.</summary>
public abstract class WasmException : Exception
{
    protected WasmException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The bytes are not a well-formed module (spec "malformed"): names the section, the byte offset and the reason.
/// </summary>
public sealed class MalformedModuleException : WasmException
{
    public MalformedModuleException(string reason, long offset, string? section = null)
        : base(section is null ? $"malformed module at offset {offset}: {reason}" : $"malformed module in {section} section at offset {offset}: {reason}")
    {
        Reason = reason;
        Offset = offset;
        Section = section;
    }

    /// <summary>The spec's wording of the failure, e.g. "unexpected end" or "integer too large".</summary>
    public string Reason { get; }

    public long Offset { get; }

    public string? Section { get; }
}

/// <summary>The module is well formed but fails validation (spec "invalid"), e.g. "type mismatch".</summary>
public sealed class InvalidModuleException : WasmException
{
    public InvalidModuleException(string reason, string? location = null)
        : base(location is null ? $"invalid module: {reason}" : $"invalid module: {reason} (at {location})")
    {
        Reason = reason;
        Location = location;
    }

    /// <summary>The spec's wording of the failure.</summary>
    public string Reason { get; }

    /// <summary>Where: function index and byte offset, or the section, when known.</summary>
    public string? Location { get; }
}

/// <summary>Instantiation failed because an import is missing or has the wrong type (spec "unlinkable").</summary>
public sealed class LinkException : WasmException
{
    public LinkException(string reason, string module, string name)
        : base($"cannot link import {module}.{name}: {reason}")
    {
        Reason = reason;
        Module = module;
        Name = name;
    }

    /// <summary>"unknown import" or "incompatible import type".</summary>
    public string Reason { get; }

    public string Module { get; }

    public string Name { get; }
}

/// <summary>
/// The module is valid but exceeds one of the engine's implementation limits (a fixed limit of the code generator,
/// or a compile budget of <see cref="EngineOptions"/>): it is refused before any of its code runs.
/// </summary>
public sealed class CompileLimitException : WasmException
{
    public CompileLimitException(string limit, string reason, uint? function = null, int? offset = null)
        : base($"module exceeds the engine's {limit}: {reason}" + (function is null ? "" : $" (function {function}" + (offset is null ? ")" : $" at offset {offset})")))
    {
        Limit = limit;
        Reason = reason;
        Function = function;
        Offset = offset;
    }

    /// <summary>Which limit: "operand stack limit", "function type limit", "compile time budget" or "compile memory budget".</summary>
    public string Limit { get; }

    /// <summary>What was measured against the limit, and how to raise it where that is possible.</summary>
    public string Reason { get; }

    /// <summary>The function being compiled when the limit was reached, when known.</summary>
    public uint? Function { get; }

    /// <summary>The module offset of the instruction that reached the limit, when known.</summary>
    public int? Offset { get; }
}
