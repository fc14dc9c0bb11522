using System.Text.Json.Serialization;

namespace WasmKube.NodeAgent;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class NodeAgentJsonContext : JsonSerializerContext;
