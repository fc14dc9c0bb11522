using System.Text.Json.Serialization;
using WasmKube.Kube.Models;

namespace WasmKube.Operator.Entities;

/// <summary>Source-generated JSON contracts for the WasmKube custom resources.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SharedStringJsonConverter)])]
[JsonSerializable(typeof(V1alpha1WasmWorkload))]
[JsonSerializable(typeof(KubernetesList<V1alpha1WasmWorkload>))]
public sealed partial class WasmKubeJsonContext : JsonSerializerContext;
