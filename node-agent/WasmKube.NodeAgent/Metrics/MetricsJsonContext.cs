using System.Text.Json.Serialization;

namespace WasmKube.NodeAgent.Metrics;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext;
