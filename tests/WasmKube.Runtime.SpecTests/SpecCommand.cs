using System.Collections.Immutable;

namespace WasmKube.Runtime.SpecTests;

/// <summary>One command of a wast2json script (module, register, action, assert_*), at its line in the .wast file.</summary>
internal sealed record SpecCommand(
    string Type,
    int Line,
    string? FileName,
    string? Name,
    string? RegisterAs,
    string? ModuleType,
    string? Text,
    SpecAction? Action,
    ImmutableArray<SpecValue> Expected)
{
    /// <summary>Quoted text modules (module_type "text") that wast2json leaves as .wat instead of a binary.</summary>
    public bool IsTextModule => ModuleType == "text" || (FileName?.EndsWith(".wat", StringComparison.Ordinal) ?? false);

    public string Describe() => Type switch
    {
        "module" => Name is null ? $"module {FileName}" : $"module {Name} {FileName}",
        "register" => $"register {Name ?? "(latest)"} as \"{RegisterAs}\"",
        _ when Action is not null => $"{Type} {Action}",
        _ => $"{Type} {FileName}",
    };
}
