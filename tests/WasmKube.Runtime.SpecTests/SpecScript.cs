using System.Collections.Immutable;
using System.Text.Json;

namespace WasmKube.Runtime.SpecTests;

/// <summary>A .wast file converted by wast2json: its commands, and the folder holding the module binaries they name.</summary>
internal sealed record SpecScript(string Name, string Directory, ImmutableArray<SpecCommand> Commands)
{
    public static SpecScript Load(string name, string jsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        var commands = document.RootElement.GetProperty("commands").EnumerateArray().Select(ParseCommand).ToImmutableArray();
        return new SpecScript(name, Path.GetDirectoryName(Path.GetFullPath(jsonPath))!, commands);
    }

    private static SpecCommand ParseCommand(JsonElement command) => new(
        command.GetProperty("type").GetString()!,
        command.GetProperty("line").GetInt32(),
        OptionalString(command, "filename"),
        OptionalString(command, "name"),
        OptionalString(command, "as"),
        OptionalString(command, "module_type"),
        OptionalString(command, "text"),
        command.TryGetProperty("action", out var action) ? ParseAction(action) : null,
        ParseValues(command, "expected"));

    private static SpecAction ParseAction(JsonElement action) => new(
        action.GetProperty("type").GetString()!,
        OptionalString(action, "module"),
        action.GetProperty("field").GetString()!,
        ParseValues(action, "args"));

    private static ImmutableArray<SpecValue> ParseValues(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var values) ? [.. values.EnumerateArray().Select(ParseValue)] : [];

    private static SpecValue ParseValue(JsonElement value)
    {
        ImmutableArray<string> lanes = !value.TryGetProperty("value", out var raw)
            ? []
            : raw.ValueKind == JsonValueKind.Array ? [.. raw.EnumerateArray().Select(lane => lane.GetString()!)] : [raw.GetString()!];
        return new SpecValue(value.GetProperty("type").GetString()!, OptionalString(value, "lane_type"), lanes);
    }

    private static string? OptionalString(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
