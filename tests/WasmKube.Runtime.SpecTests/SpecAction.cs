using System.Collections.Immutable;

namespace WasmKube.Runtime.SpecTests;

/// <summary>An "invoke" of an exported function or a "get" of an exported global, of the named or the latest module.</summary>
internal sealed record SpecAction(string Type, string? Module, string Field, ImmutableArray<SpecValue> Arguments)
{
    public override string ToString()
    {
        var target = Module is null ? $"\"{Printable(Field)}\"" : $"{Module}.\"{Printable(Field)}\"";
        return Type == "get" ? $"get {target}" : $"invoke {target}({string.Join(", ", Arguments)})";
    }

    // names.wast exports names made of control and bidirectional-format characters; escape them for messages.
    private static string Printable(string name) => string.Concat(name.Select(c =>
        char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? $"\\u{(int)c:x4}" : c.ToString()));
}
