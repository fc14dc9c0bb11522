using System.Text.Json.Serialization;

namespace WasmKube.NodeAgent.Metrics;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(EngineStats))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext;
