using System.Text.Json.Serialization;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Tests;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1ResourceRequirements))]
[JsonSerializable(typeof(V1ServicePort))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
